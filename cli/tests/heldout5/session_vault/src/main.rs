//! Session vault: an HTTP service that keeps login sessions in sled, appends an audit trail to redb and caches user profiles in LMDB.

mod audit;
mod lmdb_cache;
mod routes;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::audit::AuditLog;
use crate::lmdb_cache::ProfileCache;
use crate::store::{SessionStore, SledStore};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn SessionStore>,
    pub sessions: Arc<SledStore>,
    pub audit: Arc<AuditLog>,
    pub profiles: Arc<ProfileCache>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let data_dir = PathBuf::from(
        std::env::var("VAULT_DATA").unwrap_or_else(|_| "./vault-data".to_string()),
    );

    let _pid = pidlock::acquire(&data_dir).await?;

    let sessions = Arc::new(
        SledStore::open(data_dir.join("sessions")).context("open session store")?, //~ db
    );
    let audit = if std::env::var_os("VAULT_EPHEMERAL_AUDIT").is_some() {
        Arc::new(AuditLog::in_memory()?) //~ ok(db)
    } else {
        Arc::new(AuditLog::create(&data_dir.join("audit.redb"))?) //~ db
    };
    let profiles = Arc::new(ProfileCache::open(&data_dir.join("profiles")).await?);

    let state = AppState {
        store: sessions.clone(),
        sessions,
        audit,
        profiles,
    };

    tokio::spawn(routes::janitor(state.clone()));

    let flusher = state.sessions.clone();
    std::thread::Builder::new()
        .name("sled-flusher".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5)); //~ ok(sleep)
            if let Err(err) = flusher.persist() { //~ ok(db)
                tracing::warn!(%err, "periodic flush failed");
            }
        })?;

    let addr: SocketAddr = "0.0.0.0:8088".parse()?;
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(%addr, "session vault listening");
    axum::serve(listener, routes::router(state.clone()))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;

    state.profiles.sync_to_disk().await?;
    Ok(())
}

mod pidlock {
    use std::fs::{File, OpenOptions};
    use std::io::Write;
    use std::path::Path;

    use fd_lock::RwLock;

    pub struct PidFile {
        _lock: &'static mut RwLock<File>,
    }

    pub async fn acquire(dir: &Path) -> anyhow::Result<PidFile> {
        tokio::fs::create_dir_all(dir).await?;
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .write(true)
            .truncate(false)
            .open(dir.join("vault.pid"))?; //~ fs
        let lock: &'static mut RwLock<File> = Box::leak(Box::new(RwLock::new(file))); //~ ok(lock)

        let pid = std::process::id();
        let acquired = match lock.try_write() { //~ ok(lock)
            Ok(mut guard) => {
                guard.set_len(0)?; //~ fs
                writeln!(guard, "{pid}")?; //~ fs
                std::mem::forget(guard);
                true
            }
            Err(_) => false,
        };
        if !acquired {
            tracing::warn!("another vault instance holds the pid lock, waiting for it");
            let mut guard = lock.write()?; //~ lock
            guard.set_len(0)?; //~ fs
            writeln!(guard, "{pid}")?; //~ fs
            std::mem::forget(guard);
        }
        Ok(PidFile { _lock: lock })
    }
}
