use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct StoreData {
    subscriptions: HashMap<i64, String>,
    homes: HashMap<i64, String>,
    karma: HashMap<String, i64>,
    offset: i64,
}

pub struct Store {
    path: PathBuf,
    data: Mutex<StoreData>,
}

impl Store {
    pub fn load(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        let data = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => StoreData::default(),
            Err(e) => return Err(e),
        };
        Ok(Self {
            path,
            data: Mutex::new(data),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn persist(&self) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(&*self.data.lock().unwrap())?;
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(tmp, &self.path)
    }

    pub fn reload(&self) -> io::Result<usize> {
        let fresh: StoreData = serde_json::from_slice(&std::fs::read(&self.path)?)?;
        let n = fresh.subscriptions.len();
        *self.data.lock().unwrap() = fresh;
        Ok(n)
    }

    pub fn subscribe(&self, chat: i64, city: &str) -> io::Result<()> {
        self.data
            .lock()
            .unwrap()
            .subscriptions
            .insert(chat, city.to_owned());
        self.persist()
    }

    pub fn subscriptions(&self) -> Vec<(i64, String)> {
        let data = self.data.lock().unwrap();
        data.subscriptions.iter().map(|(c, s)| (*c, s.clone())).collect()
    }

    pub fn chats(&self) -> Vec<i64> {
        self.data.lock().unwrap().subscriptions.keys().copied().collect()
    }

    pub fn home_city(&self, chat: i64) -> Option<String> {
        self.data.lock().unwrap().homes.get(&chat).cloned()
    }

    pub fn bump_karma(&self, user: &str, delta: i64) -> i64 {
        let mut data = self.data.lock().unwrap();
        let k = data.karma.entry(user.to_lowercase()).or_insert(0);
        *k += delta;
        *k
    }

    pub fn karma(&self, user: &str) -> i64 {
        self.data
            .lock()
            .unwrap()
            .karma
            .get(&user.to_lowercase())
            .copied()
            .unwrap_or(0)
    }

    pub fn last_offset(&self) -> i64 {
        self.data.lock().unwrap().offset
    }

    pub fn set_offset(&self, offset: i64) {
        self.data.lock().unwrap().offset = offset;
    }

    pub async fn flush(&self) -> io::Result<()> {
        let json = {
            let data = self.data.lock().unwrap(); //~ lock
            serde_json::to_vec(&*data)?
        };
        tokio::fs::write(&self.path, json).await //~ ok(fs)
    }
}
