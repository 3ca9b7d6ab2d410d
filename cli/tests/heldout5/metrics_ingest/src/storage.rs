use std::path::Path;
use std::sync::Arc;

use rocksdb::checkpoint::Checkpoint;
use rocksdb::{DBCompressionType, Options, WriteBatch, DB};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Point {
    pub series: String,
    pub ts: i64,
    pub value: f64,
}

impl Point {
    pub fn key(&self) -> Vec<u8> {
        let mut key = self.series.as_bytes().to_vec();
        key.push(0);
        key.extend_from_slice(&self.ts.to_be_bytes());
        key
    }
}

pub fn export_series(db: &DB, prefix: &str, limit: usize) -> anyhow::Result<Vec<(Vec<u8>, f64)>> {
    let mut out = Vec::new();
    for item in db.prefix_iterator(prefix.as_bytes()).take(limit) {
        let (key, value) = item?;
        let raw: [u8; 8] = value.as_ref().try_into()?;
        out.push((key.to_vec(), f64::from_le_bytes(raw)));
    }
    Ok(out)
}

pub struct Store {
    db: Arc<DB>,
}

impl Store {
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let mut opts = Options::default(); //~ ok(db)
        opts.create_if_missing(true);
        opts.set_compression_type(DBCompressionType::Zstd);
        let db = DB::open(&opts, path)?; //~ db
        Ok(Self { db: Arc::new(db) })
    }

    pub fn raw(&self) -> Arc<DB> {
        self.db.clone()
    }

    pub async fn write_batch(&self, points: &[Point]) -> anyhow::Result<()> {
        let mut batch = WriteBatch::default(); //~ ok(db)
        for point in points {
            batch.put(point.key(), point.value.to_le_bytes()); //~ ok(db)
        }
        self.db.write(batch)?; //~ db
        if let Some(last) = points.last() {
            self.put_latest(&last.series, last.value).await?;
        }
        Ok(())
    }

    pub async fn put_latest(&self, series: &str, value: f64) -> anyhow::Result<()> {
        self.db.put(format!("latest:{series}"), value.to_le_bytes())?; //~ db
        Ok(())
    }

    pub async fn latest(&self, series: &str) -> anyhow::Result<Option<f64>> {
        let raw = self.db.get(format!("latest:{series}"))?; //~ db
        Ok(raw.and_then(|bytes| bytes.try_into().ok()).map(f64::from_le_bytes))
    }

    pub async fn recent(&self, series: &str, limit: usize) -> anyhow::Result<Vec<f64>> {
        let mut prefix = series.as_bytes().to_vec();
        prefix.push(0);
        let iter = self.db.prefix_iterator(&prefix); //~ db
        let rows = iter.take(limit).collect::<Result<Vec<_>, _>>()?; //~ db
        Ok(rows
            .into_iter()
            .filter_map(|(_, v)| v.as_ref().try_into().ok().map(f64::from_le_bytes))
            .collect())
    }

    pub async fn compact(&self) {
        self.db.compact_range(None::<&[u8]>, None::<&[u8]>); //~ db
    }

    pub async fn flush(&self) -> anyhow::Result<()> {
        self.db.flush()?; //~ db
        Ok(())
    }

    pub async fn checkpoint(&self, dir: &Path) -> anyhow::Result<()> {
        let checkpoint = Checkpoint::new(self.db.as_ref())?; //~ ok(db)
        checkpoint.create_checkpoint(dir)?; //~ db
        Ok(())
    }

    pub async fn export_offthread(&self, prefix: String) -> anyhow::Result<Vec<(Vec<u8>, f64)>> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || export_series(&db, &prefix, 100_000)).await? //~ ok(db)
    }
}
