//! Nightly backup verifier: chunk digests, bzip2 catalogues, hard-linked
//! snapshots and a restore probe.

mod config;
mod integrity;
mod probe;
mod repo;
mod report;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tracing::{info, warn};

use crate::config::BoxError;
use crate::integrity::Verifier;
use crate::repo::{Repo, RepoLock};
use crate::report::{Report, SnapshotOutcome};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt().with_target(false).init();
    let cfg_path = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| "/etc/backup-verify.toml".into());

    let raw = tokio::fs::read_to_string(&cfg_path).await?; //~ ok(fs)
    let cfg = Arc::new(config::parse(&raw)?); //~ ok(fs)
    let overrides = config::load_overrides(&cfg.repo_root)?; //~ fs

    // The backup job takes the same lock while it writes new chunks.
    let lock_file = tokio::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&cfg.lock_path).await?;
    let lock = RepoLock::new(lock_file.into_std().await);
    if !lock.try_lock()? { //~ ok(lock)
        warn!("repository busy, waiting for the backup job to release it");
        lock.lock_blocking()?; //~ lock
    }

    let repo = Arc::new(Repo::open(&cfg.repo_root)?); //~ fs
    if repo.free_bytes()? < cfg.min_free_bytes { //~ fs
        warn!("low disk space on backup volume");
    }

    let limit = Arc::new(Semaphore::new(cfg.parallelism));
    let mut tasks = Vec::new();
    for snap in repo.list_snapshots()? { //~ fs
        if overrides.skip.contains(&snap.id) {
            continue;
        }
        let permit = limit.clone().acquire_owned().await?; //~ ok(lock)
        let (repo, cfg) = (repo.clone(), cfg.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            Verifier::new(repo, cfg).verify(&snap).await
        }));
    }

    let mut report = Report::default();
    for t in tasks {
        match t.await? {
            Ok(outcome) => report.snapshots.push(outcome),
            Err(e) => report.snapshots.push(SnapshotOutcome::failed("?", e.to_string())),
        }
    }

    if let Some(latest) = report.snapshots.iter().rev().find(|s| s.ok).map(|s| s.id.clone()) {
        let probe = probe::RestoreProbe::new(cfg.restore_cmd.clone(), Duration::from_secs(cfg.probe_timeout_secs));
        if probe.preflight().await? {
            match probe.run_detached(&latest).await {
                Ok(code) => info!(code, "restore probe finished"),
                Err(e) => report.probe_error = Some(e.to_string()),
            }
        }
    }

    report.persist(&cfg.report_dir).await?;
    if report.failures() > 0 {
        std::process::exit(2);
    }
    Ok(())
}
