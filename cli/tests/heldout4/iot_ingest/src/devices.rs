use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    pub id: u32,
    pub name: String,
    pub site: String,
    pub gain: f64,
    pub offset: f64,
    #[serde(default)]
    pub last_seen_ms: u64,
}

pub struct Registry {
    inner: RwLock<HashMap<u32, Device>>,
    store: PathBuf,
}

impl Registry {
    pub fn load(store: PathBuf) -> std::io::Result<Self> {
        let devices: Vec<Device> = match std::fs::read(&store) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        Ok(Self {
            inner: RwLock::new(devices.into_iter().map(|d| (d.id, d)).collect()),
            store,
        })
    }

    pub fn lookup(&self, id: u32) -> Option<Device> {
        self.inner.read().unwrap().get(&id).cloned()
    }

    pub fn touch(&self, id: u32, now_ms: u64) {
        if let Some(d) = self.inner.write().unwrap().get_mut(&id) {
            d.last_seen_ms = now_ms;
        }
    }

    pub fn insert(&self, device: Device) -> Option<Device> {
        self.inner.write().unwrap().insert(device.id, device)
    }

    pub fn save(&self) -> std::io::Result<()> {
        let devices: Vec<Device> = self.inner.read().unwrap().values().cloned().collect();
        let json = serde_json::to_vec_pretty(&devices)?;
        std::fs::write(&self.store, json)
    }

    pub fn len(&self) -> usize {
        self.inner.read().unwrap().len()
    }

    pub fn store_path(&self) -> &std::path::Path {
        &self.store
    }

    pub async fn refresh(&self, http: &reqwest::Client, url: &str) -> reqwest::Result<usize> {
        let fresh: Vec<Device> = http.get(url).send().await?.json().await?; //~ ok(http_blocking)
        let n = fresh.len();
        let mut inner = self.inner.write().unwrap(); //~ lock
        for d in fresh {
            let last_seen = inner.get(&d.id).map(|old| old.last_seen_ms).unwrap_or(0);
            inner.insert(d.id, Device { last_seen_ms: last_seen, ..d });
        }
        Ok(n)
    }

    pub fn refresh_now(&self, http: &reqwest::Client, url: &str) -> reqwest::Result<usize> {
        futures::executor::block_on(self.refresh(http, url))
    }
}
