use std::collections::BTreeMap;
use std::path::Path;

use crate::books::Entry;

pub struct Journal {
    store: jfs::Store,
}

impl Journal {
    pub fn open(dir: impl AsRef<Path>) -> std::io::Result<Self> {
        let cfg = jfs::Config { pretty: true, indent: 2, single: false };
        Ok(Self { store: jfs::Store::new_with_cfg(dir, cfg)? })
    }

    pub fn record(&self, e: &Entry) -> std::io::Result<String> {
        self.store.save(e)
    }

    pub fn all_entries(&self) -> std::io::Result<BTreeMap<String, Entry>> {
        self.store.all::<Entry>()
    }

    pub fn store(&self) -> &jfs::Store {
        &self.store
    }
}

pub async fn audit(journal: &Journal, id: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let e: Entry = journal.store().get(id)?; //~ fs
    let copy_id = journal.store().save_with_id(&e, &format!("{id}-audit"))?; //~ fs
    journal.store().delete(id)?; //~ fs
    let scratch = jfs::Store::new(jfs::IN_MEMORY)?; //~ ok(fs)
    scratch.save_with_id(&e, id)?; //~ ok(fs)
    let raw = tokio::fs::read(format!("./data/journal/{copy_id}.json")).await?; //~ ok(fs)
    let parsed: Entry = serde_json::from_slice(&raw)?;
    let bytes = bson::to_vec(&parsed)?; //~ ok(fs)
    let doc = bson::Document::from_reader(&mut std::io::Cursor::new(&bytes))?; //~ ok(fs)
    let mut f = std::fs::File::open("./data/snap.bson")?; //~ fs
    let snap = bson::Document::from_reader(&mut f)?; //~ fs
    let mut out = std::fs::File::create(format!("./data/{id}.bson"))?; //~ fs
    doc.to_writer(&mut out)?; //~ fs
    tracing::debug!(keys = snap.len());
    Ok(())
}
