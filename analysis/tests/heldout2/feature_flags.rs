//! Feature-flag service: flags come from the control plane over HTTP and are
//! cached in a local SQLite file (rusqlite) so that evaluation survives an
//! outage. Evaluation itself is served from memory.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension};
use tokio::sync::{watch, Mutex};

pub type Flags = HashMap<String, bool>;
type Db = std::sync::Mutex<Connection>;

#[async_trait]
pub trait FlagSource: Send + Sync {
    async fn fetch(&self) -> anyhow::Result<Flags>;
}

pub struct ControlPlane {
    http: reqwest::Client,
    url: String,
}

#[async_trait]
impl FlagSource for ControlPlane {
    async fn fetch(&self) -> anyhow::Result<Flags> {
        let resp = self.http.get(&self.url).timeout(Duration::from_secs(3)).send().await?; //~ ok(http_blocking)
        Ok(resp.json().await?)
    }
}

pub struct SqliteCache {
    conn: Db,
}

#[async_trait]
impl FlagSource for SqliteCache {
    async fn fetch(&self) -> anyhow::Result<Flags> {
        let conn = self.conn.lock().unwrap(); //~ lock
        let mut stmt = conn.prepare("SELECT name, enabled FROM flags")?; //~ db
        let rows: Vec<(String, bool)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? //~ db
            .collect::<Result<_, _>>()?;
        Ok(rows.into_iter().collect())
    }
}

impl SqliteCache {
    pub fn open(path: &str) -> rusqlite::Result<Self> {
        let conn = Connection::open(path)?; //~ ok(db)
        conn.execute_batch("CREATE TABLE IF NOT EXISTS flags (name TEXT PRIMARY KEY, enabled INTEGER)")?; //~ ok(db)
        Ok(SqliteCache { conn: std::sync::Mutex::new(conn) })
    }

    pub async fn store(&self, flags: &Flags) -> rusqlite::Result<()> {
        let mut conn = self.conn.lock().unwrap(); //~ lock
        let tx = conn.transaction()?;
        for (k, v) in flags {
            tx.execute("INSERT OR REPLACE INTO flags VALUES (?1, ?2)", params![k, v])?; //~ db
        }
        tx.commit() //~ db
    }

    pub async fn one(&self, name: &str) -> Option<bool> {
        let conn = self.conn.lock().ok()?; //~ lock
        conn.query_row("SELECT enabled FROM flags WHERE name = ?1", [name], |r| r.get(0)) //~ db
            .optional()
            .ok()
            .flatten()
    }
}

pub struct FlagService {
    live: ArcSwap<Flags>,
    cache: Arc<SqliteCache>,
    sources: Vec<Box<dyn FlagSource>>,
    changed: watch::Sender<u64>,
    refresh_lock: Mutex<()>,
}

impl FlagService {
    pub async fn is_enabled(&self, name: &str) -> bool {
        self.live.load().get(name).copied().unwrap_or(false) //~ ok(db), ok(db)
    }

    pub async fn refresh(&self) -> anyhow::Result<()> {
        let _g = self.refresh_lock.lock().await; //~ ok(lock)
        for src in &self.sources {
            match src.fetch().await {
                Ok(flags) => {
                    let cache = Arc::clone(&self.cache);
                    let copy = flags.clone();
                    tokio::task::spawn_blocking(move || {
                        let conn = cache.conn.lock().unwrap(); //~ ok(lock)
                        conn.execute("DELETE FROM flags", []).map(|_| ()) //~ ok(db)
                    })
                    .await??;
                    self.cache.store(&copy).await?;
                    self.live.store(Arc::new(flags));
                    self.changed.send_modify(|v| *v += 1);
                    return Ok(());
                }
                Err(e) => tracing::warn!(error = %e, "flag source failed"),
            }
        }
        anyhow::bail!("no flag source answered")
    }

    pub async fn count_enabled(&self) -> usize {
        let conn = self.cache.conn.lock().unwrap(); //~ lock
        conn.query_row("SELECT count(*) FROM flags WHERE enabled = 1", [], |r| r.get::<_, i64>(0)) //~ db
            .unwrap_or(0) as usize
    }

    pub fn watch(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

pub async fn poll_forever(svc: Arc<FlagService>) {
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    let mut rx = svc.watch();
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(e) = svc.refresh().await {
                    tracing::error!(%e, "refresh failed");
                }
            }
            Ok(()) = rx.changed() => {
                tracing::info!(version = *rx.borrow(), "flags changed");
            }
        }
    }
}
