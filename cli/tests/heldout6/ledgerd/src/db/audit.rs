use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use persy::{Config, OpenOptions, Persy, PersyId, ValueMode};

const SEGMENT: &str = "audit";
const BY_TS: &str = "audit_by_ts";

/// Where posted operations are journalled.
pub trait Journal: Send + Sync {
    fn record(&self, kind: &str, detail: &str) -> anyhow::Result<()>;
    fn recent(&self, n: usize) -> anyhow::Result<Vec<String>>;
}

pub struct AuditLog {
    persy: Persy,
}

impl AuditLog {
    pub fn open(path: &str) -> anyhow::Result<Self> {
        let persy = Persy::open_or_create_with(path, Config::new(), |p| {
            let mut tx = p.begin()?;
            tx.create_segment(SEGMENT)?;
            tx.create_index::<u64, PersyId>(BY_TS, ValueMode::Replace)?;
            tx.commit()?;
            Ok(())
        })?;
        Ok(AuditLog { persy })
    }

    /// A throwaway journal held in memory (used for dry runs).
    pub fn scratch() -> anyhow::Result<Self> {
        let persy = OpenOptions::new().memory()?;
        let mut tx = persy.begin()?;
        tx.create_segment(SEGMENT)?;
        tx.create_index::<u64, PersyId>(BY_TS, ValueMode::Replace)?;
        tx.commit()?;
        Ok(AuditLog { persy })
    }
}

impl Journal for AuditLog {
    fn record(&self, kind: &str, detail: &str) -> anyhow::Result<()> {
        let ts = SystemTime::now().duration_since(UNIX_EPOCH)?.as_micros() as u64;
        let line = format!("{ts} {kind} {detail}");
        let mut tx = self.persy.begin()?;
        let id = tx.insert(SEGMENT, line.as_bytes())?;
        tx.put::<u64, PersyId>(BY_TS, ts, id)?;
        tx.commit()?;
        Ok(())
    }

    fn recent(&self, n: usize) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for (_ts, ids) in self.persy.range::<u64, PersyId, _>(BY_TS, ..)?.rev().take(n) {
            for id in ids {
                if let Some(bytes) = self.persy.read(SEGMENT, &id)? {
                    out.push(String::from_utf8_lossy(&bytes).into_owned());
                }
            }
        }
        Ok(out)
    }
}

/// Test double; everything stays in a Vec.
#[derive(Default)]
pub struct MemoryJournal {
    lines: Mutex<Vec<String>>,
}

impl Journal for MemoryJournal {
    fn record(&self, kind: &str, detail: &str) -> anyhow::Result<()> {
        self.lines.lock().unwrap().push(format!("{kind} {detail}"));
        Ok(())
    }

    fn recent(&self, n: usize) -> anyhow::Result<Vec<String>> {
        let lines = self.lines.lock().unwrap();
        Ok(lines.iter().rev().take(n).cloned().collect())
    }
}
