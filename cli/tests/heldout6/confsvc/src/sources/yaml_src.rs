use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

pub type Overrides = BTreeMap<String, String>;

pub fn load_overrides(path: &Path) -> anyhow::Result<Overrides> {
    match File::open(path) {
        Ok(f) => Ok(serde_yaml::from_reader(f)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Overrides::new()),
        Err(e) => Err(e.into()),
    }
}

pub fn parse_overrides(text: &str) -> anyhow::Result<Overrides> {
    Ok(serde_yaml::from_str(text)?)
}

pub fn save_overrides(path: &Path, o: &Overrides) -> anyhow::Result<()> {
    let w = BufWriter::new(File::create(path)?);
    serde_yaml::to_writer(w, o)?;
    Ok(())
}
