use std::collections::HashMap;

use crossbeam_utils::sync::ShardedLock;
use crossbeam_utils::Backoff;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope {
    pub subject: String,
    pub payload: Vec<u8>,
}

impl Envelope {
    pub fn from_nats(msg: &nats::Message) -> Self {
        Self { subject: msg.subject.clone(), payload: msg.data.clone() }
    }
}

#[derive(Default)]
pub struct RouteTable {
    inner: ShardedLock<HashMap<String, String>>,
}

impl RouteTable {
    pub fn add(&self, pattern: &str, target: &str) {
        self.inner.write().unwrap().insert(pattern.to_string(), target.to_string());
    }

    pub fn lookup(&self, subject: &str) -> Option<String> {
        let backoff = Backoff::new();
        loop {
            if let Ok(map) = self.inner.try_read() {
                return map
                    .iter()
                    .find(|(p, _)| subject.starts_with(p.trim_end_matches('*')))
                    .map(|(_, t)| t.clone());
            }
            if backoff.is_completed() {
                return None;
            }
            backoff.snooze();
        }
    }

    pub fn try_snapshot(&self) -> Option<HashMap<String, String>> {
        self.inner.try_read().ok().map(|m| m.clone())
    }
}

/// Runs `n` scoped workers over the envelope and waits for all of them.
pub fn broadcast(env: &Envelope, n: usize) {
    let _ = crossbeam_utils::thread::scope(|s| {
        for i in 0..n {
            s.spawn(move |_| {
                tracing::debug!(worker = i, subject = %env.subject, "fan-out");
            });
        }
    });
}
