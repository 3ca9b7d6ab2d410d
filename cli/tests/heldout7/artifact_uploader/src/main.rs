//! CI step that runs after `cargo build --release`: finds the release
//! artifacts of every workspace binary, hashes them, uploads them to S3 and to
//! the legacy FTP mirror, and attaches them to the GitHub release.

mod git;
mod hashing;
mod mirror;
mod release;
mod store;
mod workspace;

use std::path::PathBuf;
use std::time::Duration;

use named_lock::NamedLock;
use tracing::{info, warn};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));

    // Two pipelines on the same runner must not interleave uploads.
    let lock = NamedLock::create("artifact-uploader")?; //~ fs
    let _guard = match retry::retry(retry::delay::Fixed::from_millis(500).take(20), || lock.try_lock()) { //~ sleep
        Ok(guard) => guard,
        Err(_) => {
            warn!("another upload is still running, waiting for it");
            lock.lock()? //~ lock
        }
    };

    let meta = cargo_metadata::MetadataCommand::new().current_dir(&root).no_deps().exec()?; //~ process
    let head = git::head_info(meta.workspace_root.as_std_path())?; //~ fs
    info!(branch = %head.branch, sha = %head.sha, "collecting artifacts");

    let artifacts = workspace::collect(&meta).await?;
    if artifacts.is_empty() {
        warn!("no release artifacts found");
        return Ok(());
    }

    // Manifest of what this pipeline published, consumed by the deploy job.
    let lock_digest = hashing::sha256_file(&root.join("Cargo.lock"))?; //~ fs
    let listing: Vec<String> = artifacts.iter().map(|a| format!("{}  {}", a.sha256, a.remote_name())).collect();
    std::fs::write(root.join("target/artifacts.txt"), format!("Cargo.lock {lock_digest}\n{}\n", listing.join("\n")))?; //~ fs

    let store = store::ArtifactStore::from_env(&head)?; //~ http_blocking
    for a in &artifacts {
        store.upload(a).await?;
    }
    if std::env::var_os("LEGACY_FTP_HOST").is_some() {
        let mirror = mirror::FtpMirror::from_env()?;
        for a in &artifacts {
            mirror.upload(&a.path, &a.remote_name())?; //~ net
        }
        // The installers only check the size, so verify exactly that.
        let mut ftp = mirror.connect()?; //~ net
        for a in &artifacts {
            if ftp.size(&a.remote_name())? != Some(a.size as usize) { //~ net
                warn!(artifact = %a.remote_name(), "size mismatch on the FTP mirror");
            }
        }
        ftp.quit()?; //~ net
    }
    release::attach(&head, &artifacts, Duration::from_secs(300)).await?;
    Ok(())
}
