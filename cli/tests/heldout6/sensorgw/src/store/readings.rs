use std::time::{SystemTime, UNIX_EPOCH};

use super::*;

#[derive(Clone, Debug)]
pub struct Reading {
    pub sensor: String,
    pub ts: u64,
    pub value: f64,
}

impl Reading {
    /// Topic `sensors/<id>/value`, payload is the decimal value.
    pub fn parse(topic: &str, payload: &[u8]) -> Option<Reading> {
        let mut parts = topic.split('/');
        let (_, sensor, _) = (parts.next()?, parts.next()?, parts.next()?);
        let value: f64 = std::str::from_utf8(payload).ok()?.trim().parse().ok()?;
        let ts = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_millis() as u64;
        Some(Reading { sensor: sensor.to_string(), ts, value })
    }

    pub fn encode(&self) -> Vec<u8> {
        format!("{{\"ts\":{},\"value\":{}}}", self.ts, self.value).into_bytes()
    }

    fn from_raw(sensor: &str, key: &[u8], value: &[u8]) -> Option<Reading> {
        let ts = u64::from_be_bytes(key.try_into().ok()?);
        let value = f64::from_le_bytes(value.try_into().ok()?);
        Some(Reading { sensor: sensor.to_string(), ts, value })
    }
}

impl ReadingStore {
    pub fn append(&self, r: &Reading) -> anyhow::Result<()> {
        let tx = self.db.tx(true)?;
        {
            let root = tx.get_or_create_bucket(ROOT)?;
            let bucket = root.get_or_create_bucket(r.sensor.clone())?;
            bucket.put(r.ts.to_be_bytes(), r.value.to_le_bytes())?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn latest(&self, sensor: &str) -> anyhow::Result<Option<Reading>> {
        let tx = self.db.tx(false)?;
        let root = tx.get_bucket(ROOT)?;
        let Ok(bucket) = root.get_bucket(sensor.to_string()) else {
            return Ok(None);
        };
        let last = bucket.kv_pairs().last();
        Ok(last.and_then(|kv| Reading::from_raw(sensor, kv.key(), kv.value())))
    }

    pub fn sensor_count(&self) -> anyhow::Result<usize> {
        let tx = self.db.tx(false)?;
        let root = tx.get_bucket(ROOT)?;
        let n = root.buckets().count();
        Ok(n)
    }

    /// Keeps the newest `keep` readings per sensor.
    pub fn trim(&self, keep: usize) -> anyhow::Result<usize> {
        let tx = self.db.tx(true)?;
        let mut removed = 0;
        {
            let root = tx.get_bucket(ROOT)?;
            for (_name, bucket) in root.buckets() {
                let keys: Vec<Vec<u8>> = bucket.kv_pairs().map(|kv| kv.key().to_vec()).collect();
                if keys.len() > keep {
                    for key in &keys[..keys.len() - keep] {
                        bucket.delete(key)?;
                        removed += 1;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(removed)
    }
}
