use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::Item;

pub struct ItemCache {
    entries: RwLock<HashMap<String, (Instant, Item)>>,
    capacity: usize,
    ttl: Duration,
}

impl ItemCache {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: RwLock::new(HashMap::with_capacity(capacity)),
            capacity,
            ttl: Duration::from_secs(30),
        }
    }

    pub fn get(&self, sku: &str) -> Option<Item> {
        let map = self.entries.read().unwrap();
        map.get(sku)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, item)| item.clone())
    }

    pub fn put(&self, item: Item) {
        let mut map = self.entries.write().unwrap();
        if map.len() >= self.capacity {
            if let Some(oldest) = map.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone()) {
                map.remove(&oldest);
            }
        }
        map.insert(item.sku.clone(), (Instant::now(), item));
    }

    pub fn invalidate(&self, sku: &str) {
        self.entries.write().unwrap().remove(sku);
    }

    pub fn stats(&self) -> (usize, usize) {
        (self.entries.read().unwrap().len(), self.capacity)
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn evict_expired(&self) -> usize {
        let mut map = self.entries.write().unwrap();
        let before = map.len();
        map.retain(|_, (at, _)| at.elapsed() < self.ttl);
        before - map.len()
    }

    pub async fn expire_loop(self: Arc<Self>) {
        loop {
            tokio::time::sleep(self.ttl).await; //~ ok(sleep)
            let evicted = self.evict_expired(); //~ lock
            if evicted > 0 {
                tracing::debug!(evicted, "cache entries expired");
            }
        }
    }
}
