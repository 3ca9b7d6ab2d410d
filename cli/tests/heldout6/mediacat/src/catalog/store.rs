use std::path::PathBuf;

use fjall::{Config, PartitionCreateOptions, PersistMode};

use super::*;
use crate::scan::Item;

#[derive(Clone, Debug)]
pub struct Record {
    pub path: String,
    pub seconds: f64,
    pub channels: u16,
    pub sample_rate: u32,
    pub peak: f32,
}

impl Record {
    fn encode(&self) -> String {
        format!("{}|{}|{}|{}", self.seconds, self.channels, self.sample_rate, self.peak)
    }

    fn decode(path: &str, raw: &[u8]) -> Option<Record> {
        let text = std::str::from_utf8(raw).ok()?;
        let mut it = text.split('|');
        Some(Record {
            path: path.to_string(),
            seconds: it.next()?.parse().ok()?,
            channels: it.next()?.parse().ok()?,
            sample_rate: it.next()?.parse().ok()?,
            peak: it.next()?.parse().ok()?,
        })
    }
}

fn len_key(seconds: f64, path: &str) -> String {
    format!("{:010}|{path}", (seconds * 1000.0) as u64)
}

impl Catalog {
    pub fn open(dir: &str) -> anyhow::Result<Self> {
        let keyspace = Config::new(dir).open()?;
        let tracks = keyspace.open_partition("tracks", PartitionCreateOptions::default())?;
        let by_len = keyspace.open_partition("by_len", PartitionCreateOptions::default())?;
        Ok(Catalog { keyspace, tracks, by_len })
    }

    pub fn count(&self) -> anyhow::Result<usize> {
        Ok(self.tracks.len()?)
    }

    /// Paths not yet in the catalogue.
    pub fn filter_unknown(&self, paths: Vec<PathBuf>) -> anyhow::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for p in paths {
            if !self.tracks.contains_key(p.to_string_lossy().as_bytes())? {
                out.push(p);
            }
        }
        Ok(out)
    }

    pub fn put(&self, item: &Item) -> anyhow::Result<()> {
        let path = item.path.to_string_lossy().into_owned();
        let rec = Record {
            path: path.clone(),
            seconds: item.probe.seconds(),
            channels: item.probe.channels,
            sample_rate: item.probe.sample_rate,
            peak: item.probe.peak,
        };
        self.tracks.insert(path.as_str(), rec.encode())?;
        self.by_len.insert(len_key(rec.seconds, &path), "")?;
        Ok(())
    }

    pub fn get(&self, path: &str) -> anyhow::Result<Option<Record>> {
        Ok(self.tracks.get(path)?.and_then(|v| Record::decode(path, &v)))
    }

    /// Tracks at least `min_secs` long, shortest first.
    pub fn longer_than(&self, min_secs: f64, limit: usize) -> anyhow::Result<Vec<String>> {
        let start = format!("{:010}", (min_secs * 1000.0) as u64);
        let mut out = Vec::new();
        for kv in self.by_len.range(start.as_str()..).take(limit) {
            let (k, _) = kv?;
            if let Some((_, path)) = std::str::from_utf8(&k)?.split_once('|') {
                out.push(path.to_string());
            }
        }
        Ok(out)
    }

    pub fn flush(&self) -> anyhow::Result<()> {
        self.keyspace.persist(PersistMode::SyncAll)?;
        Ok(())
    }
}
