use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use filetime::FileTime;
use walkdir::WalkDir;

use crate::config::Config;
use crate::store::Store;

/// Periodically removes thumbnails older than the retention window.
pub async fn run(store: Arc<Store>, cfg: Config) {
    let mut tick = tokio::time::interval(Duration::from_secs(cfg.sweep_every_secs));
    loop {
        tick.tick().await;
        match sweep(&store, cfg.retention_secs) { //~ fs
            Ok(n) if n > 0 => {
                store.add_swept(n); //~ lock
                tracing::info!(removed = n, "swept thumbnails");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sweep failed"),
        }

        // The usage scan is heavier: push it to the blocking pool.
        let s = store.clone();
        let total = tokio::task::spawn_blocking(move || disk_usage_sync(&s)).await; //~ ok(fs)
        if let Ok(bytes) = total {
            tracing::debug!(bytes, "disk usage");
        }
    }
}

fn sweep(store: &Store, retention_secs: u64) -> anyhow::Result<u64> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let mut removed = 0;
    for entry in WalkDir::new(store.root().join("thumbs")).min_depth(1) {
        let entry = entry?;
        let meta = entry.metadata()?;
        let mtime = FileTime::from_last_modification_time(&meta);
        if now - mtime.unix_seconds() > retention_secs as i64 {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn disk_usage_sync(store: &Store) -> u64 {
    WalkDir::new(store.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Startup report, inline on the runtime (small trees only).
pub async fn report_usage(store: &Store) -> u64 {
    let walker = WalkDir::new(store.root()).follow_links(false); //~ ok(fs)
    let mut total = 0;
    for entry in walker.into_iter().filter_map(Result::ok) { //~ fs
        if entry.file_type().is_file() { //~ ok(fs)
            total += entry.metadata().map(|m| m.len()).unwrap_or(0); //~ fs
        }
    }
    total
}
