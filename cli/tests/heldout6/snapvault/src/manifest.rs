use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::archive::Codec;

#[derive(Clone, Debug)]
pub struct Entry {
    pub path: PathBuf,
    pub digest: String,
    pub size: u64,
    pub codec: Codec,
}

/// `digest size codec path` per line.
#[derive(Default, Debug)]
pub struct Manifest {
    entries: BTreeMap<PathBuf, Entry>,
}

impl Manifest {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut m = Manifest::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.splitn(4, ' ');
            let digest = parts.next().unwrap_or_default().to_string();
            let size = parts.next().unwrap_or("0").parse()?;
            let codec = Codec::from_ext(parts.next().unwrap_or_default())
                .ok_or_else(|| anyhow::anyhow!("bad codec in manifest"))?;
            let path = PathBuf::from(parts.next().unwrap_or_default());
            m.entries.insert(path.clone(), Entry { path, digest, size, codec });
        }
        Ok(m)
    }

    pub fn render(&self) -> String {
        self.entries
            .values()
            .map(|e| format!("{} {} {} {}\n", e.digest, e.size, e.codec.ext(), e.path.display()))
            .collect()
    }

    pub fn load(path: &Path) -> anyhow::Result<Self> {
        match fs_err::read_to_string(path) {
            Ok(text) => Self::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn load_async(path: &Path) -> anyhow::Result<Self> {
        match fs_err::tokio::read_to_string(path).await {
            Ok(text) => Self::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(e.into()),
        }
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let tmp = path.with_extension("new");
        fs_err::write(&tmp, self.render())?;
        fs_err::rename(&tmp, path)?;
        Ok(())
    }

    pub fn get(&self, path: &Path) -> Option<&Entry> {
        self.entries.get(path)
    }

    pub fn insert(&mut self, e: Entry) {
        self.entries.insert(e.path.clone(), e);
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}
