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
    match lock.try_write() { //~ ok(lock)
        Ok(mut guard) => {
            guard.set_len(0)?; //~ fs
            writeln!(guard, "{pid}")?; //~ fs
            std::mem::forget(guard);
        }
        Err(_) => {
            tracing::warn!("another vault instance holds the pid lock, waiting for it");
            let mut guard = lock.write()?; //~ lock
            guard.set_len(0)?; //~ fs
            writeln!(guard, "{pid}")?; //~ fs
            std::mem::forget(guard);
        }
    }
    Ok(PidFile { _lock: lock })
}
