use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tracing_subscriber::EnvFilter;

static STARTED: OnceLock<Instant> = OnceLock::new();

pub fn init(level: &str) {
    STARTED.get_or_init(Instant::now);
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(level))
        .init();
}

pub fn write_pid_file(path: &Path) -> std::io::Result<()> {
    let mut f = std::fs::File::create(path)?;
    writeln!(f, "{}", std::process::id())
}

pub async fn remove_pid_file(path: &Path) {
    if let Err(e) = tokio::fs::remove_file(path).await {
        tracing::warn!(error = %e, "could not remove pid file");
    }
}

pub fn uptime_secs() -> u64 {
    STARTED.get().map(|s| s.elapsed().as_secs()).unwrap_or(0)
}

pub fn hostname() -> String {
    std::process::Command::new("hostname")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub async fn heartbeat(every: Duration) {
    loop {
        tokio::time::sleep(every).await; //~ ok(sleep)
        tracing::trace!(uptime = uptime_secs(), "alive");
    }
}
