use std::path::Path;
use std::sync::mpsc::{channel, Receiver};

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};

use super::Config;
use crate::proxy::App;

pub fn watch(path: &Path) -> notify::Result<(RecommendedWatcher, Receiver<notify::Result<Event>>)> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(path, RecursiveMode::NonRecursive)?;
    Ok((watcher, rx))
}

pub fn apply(app: &App, cfg: Config) {
    match app.pool.replace(&cfg.upstreams) {
        Ok(n) => tracing::info!(backends = n, "upstreams reloaded"),
        Err(e) => tracing::warn!(error = %e, "keeping previous upstreams"),
    }
    app.limits.reconfigure(cfg.rate_per_sec, cfg.burst);
}
