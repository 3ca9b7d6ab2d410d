use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use configparser::ini::Ini;

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: String,
    pub archive_dir: PathBuf,
    pub labels_path: PathBuf,
}

impl Settings {
    pub fn load(path: impl AsRef<Path>) -> Result<Self, String> {
        let mut ini = Ini::new();
        ini.load(path.as_ref())?;
        Ok(Self::from_ini(&ini))
    }

    pub fn from_text(text: &str) -> Result<Self, String> {
        let mut ini = Ini::new();
        ini.read(text.to_string())?;
        Ok(Self::from_ini(&ini))
    }

    fn from_ini(ini: &Ini) -> Self {
        Self {
            listen: ini.get("server", "listen").unwrap_or_else(|| "127.0.0.1:7070".into()),
            archive_dir: ini.get("paths", "archive").unwrap_or_else(|| "/var/lib/oc".into()).into(),
            labels_path: ini.get("paths", "labels").unwrap_or_else(|| "labels.properties".into()).into(),
        }
    }

    pub fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let mut ini = Ini::new();
        ini.set("server", "listen", Some(self.listen.clone()));
        ini.set("paths", "archive", Some(self.archive_dir.display().to_string()));
        ini.write(path)
    }
}

pub fn load_labels(path: &Path) -> Result<HashMap<String, String>, java_properties::PropertiesError> {
    let f = File::open(path)?;
    java_properties::read(BufReader::new(f))
}

pub async fn reload(path: &Path) -> Result<Settings, Box<dyn std::error::Error + Send + Sync>> {
    let text = tokio::fs::read_to_string(path).await?; //~ ok(fs)
    let s = Settings::from_text(&text)?; //~ ok(fs)
    let labels = java_properties::read(text.as_bytes()); //~ ok(fs)
    tracing::debug!(ok = labels.is_ok());
    s.save(path.with_extension("bak"))?; //~ fs
    let mut ini = Ini::new();
    ini.load(path)?; //~ fs
    let mut out = std::io::BufWriter::new(File::create(path.with_extension("properties"))?); //~ fs
    java_properties::write(&mut out, &HashMap::from([("listen".to_string(), s.listen.clone())]))?; //~ fs
    Ok(s)
}
