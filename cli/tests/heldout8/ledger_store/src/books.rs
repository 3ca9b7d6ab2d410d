use std::fs::File;
use std::path::Path;

use polodb_core::bson::{doc, Document};
use polodb_core::{Collection, CollectionT, Database};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub account: String,
    pub amount_cents: i64,
    pub amount_eur_cents: i64,
    pub currency: String,
    pub settled: bool,
}

impl Entry {
    pub fn new(account: String, amount_cents: i64, currency: &str) -> Self {
        Self { account, amount_cents, amount_eur_cents: 0, currency: currency.into(), settled: false }
    }
}

pub struct Ledger {
    db: Database,
    posted: antidote::Mutex<u64>,
}

impl Ledger {
    pub fn open(path: impl AsRef<Path>) -> polodb_core::Result<Self> {
        Ok(Self { db: Database::open_path(path)?, posted: antidote::Mutex::new(0) })
    }

    pub fn collection(&self) -> Collection<Entry> {
        self.db.collection::<Entry>("entries")
    }

    pub fn post(&self, e: &Entry) -> polodb_core::Result<()> {
        self.collection().insert_one(e)?;
        Ok(())
    }

    pub fn count(&self) -> polodb_core::Result<u64> {
        self.collection().count_documents()
    }

    pub fn bump_counter(&self) {
        *self.posted.lock() += 1;
    }

    pub fn try_counter(&self) -> Option<u64> {
        self.posted.try_lock().ok().map(|g| *g)
    }

    /// Dumps all entries of the ledger into one BSON document on disk.
    pub fn snapshot_to_bson(&self, path: &Path) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
        let mut root = Document::new();
        let mut n = 0;
        for e in self.collection().find(doc! {}).run()? {
            root.insert(n.to_string(), polodb_core::bson::to_bson(&e?)?);
            n += 1;
        }
        let mut f = File::create(path)?;
        root.to_writer(&mut f)?;
        Ok(n)
    }
}
