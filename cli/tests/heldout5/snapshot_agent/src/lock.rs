use std::fs::{File, OpenOptions};
use std::path::Path;

use fs2::FileExt;

pub async fn exclusive(root: &Path) -> anyhow::Result<File> {
    tokio::fs::create_dir_all(root).await?; //~ ok(fs)
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(".snapshot-agent.lock"))?; //~ fs
    if file.try_lock_exclusive().is_err() { //~ ok(lock)
        tracing::warn!("another agent is running against this volume; waiting");
        file.lock_exclusive()?; //~ lock
    }
    file.allocate(4096)?; //~ fs
    Ok(file)
}
