use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use parking_lot::RwLock;

use crate::collectors::Sample;

pub struct Registry {
    sources: RwLock<BTreeMap<String, Vec<Sample>>>,
    last_scrape: Mutex<Option<Instant>>,
    errors: AtomicU64,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    pub fn new() -> Self {
        Self {
            sources: RwLock::new(BTreeMap::new()),
            last_scrape: Mutex::new(None),
            errors: AtomicU64::new(0),
        }
    }

    pub fn update(&self, source: &str, samples: Vec<Sample>) {
        self.sources.write().insert(source.to_owned(), samples);
    }

    pub fn render(&self) -> String {
        let sources = self.sources.read();
        let mut out = String::new();
        for samples in sources.values() {
            for s in samples {
                let labels: Vec<String> = s
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{}\"", v.replace('"', "\\\"")))
                    .collect();
                if labels.is_empty() {
                    let _ = writeln!(out, "{} {}", s.name, s.value);
                } else {
                    let _ = writeln!(out, "{}{{{}}} {}", s.name, labels.join(","), s.value);
                }
            }
        }
        let _ = writeln!(out, "hostmetrics_scrape_errors_total {}", self.errors());
        out
    }

    pub fn record_error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    pub fn mark_scrape(&self) {
        *self.last_scrape.lock().unwrap() = Some(Instant::now());
    }

    pub fn since_last_scrape(&self) -> Option<Duration> {
        self.last_scrape.lock().unwrap().map(|t| t.elapsed())
    }
}
