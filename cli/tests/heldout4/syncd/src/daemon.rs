use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};
use notify::{Event, EventKind};

use crate::config::Config;
use crate::index::Index;
use crate::sync::{self as syncer, AsyncUploader, Uploader};
use crate::throttle::Throttle;

pub struct Daemon {
    cfg: Config,
    index: Arc<Mutex<Index>>,
    uploader: Arc<Uploader>,
    bulk: AsyncUploader,
    throttle: Throttle,
    paused: AtomicBool,
}

pub async fn run(
    cfg: Config,
    index: Index,
    uploader: Uploader,
    rx: Receiver<notify::Result<Event>>,
) -> anyhow::Result<()> {
    let d = Arc::new(Daemon {
        bulk: AsyncUploader::new(&cfg.endpoint, &cfg.token),
        throttle: Throttle::new(cfg.upload_gap()),
        index: Arc::new(Mutex::new(index)),
        uploader: Arc::new(uploader),
        paused: AtomicBool::new(false),
        cfg,
    });
    tokio::spawn(crate::control::serve(d.clone()));

    d.initial_scan().await?;
    loop {
        match rx.recv_timeout(Duration::from_secs(2)) { //~ channel
            Ok(Ok(event)) => {
                if matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_)) {
                    for path in event.paths {
                        if let Err(e) = d.sync_one(&path).await {
                            tracing::warn!(path = %path.display(), error = %e, "sync failed");
                        }
                    }
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "watch error"),
            Err(RecvTimeoutError::Timeout) => d.retry_pending().await,
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    Ok(())
}

impl Daemon {
    pub(crate) fn cfg(&self) -> &Config {
        &self.cfg
    }

    pub(crate) fn is_paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }

    pub(crate) fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> (i64, i64) {
        self.index.lock().unwrap().count().unwrap_or_default()
    }

    async fn initial_scan(&self) -> anyhow::Result<()> {
        let files = syncer::scan_tree(&self.cfg.root)?; //~ fs
        tracing::info!(files = files.len(), "initial scan");
        for path in files {
            self.sync_one(&path).await?;
        }
        Ok(())
    }

    async fn sync_one(&self, path: &Path) -> anyhow::Result<()> {
        if self.is_paused() { //~ ok(lock)
            return Ok(());
        }
        let Some(rel) = syncer::relative(&self.cfg.root, path) else { //~ ok(fs)
            return Ok(());
        };
        let mtime = syncer::mtime(path)?; //~ fs
        let size = std::fs::metadata(path)?.len(); //~ fs
        let digest = if size > self.cfg.large_file_bytes {
            syncer::file_digest_async(path).await?
        } else {
            syncer::file_digest(path)? //~ fs
        };

        let known = {
            let index = self.index.lock().unwrap(); //~ lock
            index.lookup(&rel)? //~ db
        };
        if known.as_ref().is_some_and(|e| e.digest == digest && e.synced) {
            return Ok(());
        }
        if let Some(prev) = known.filter(|e| e.digest != digest && !e.synced) {
            self.resolve_conflict(path, &prev.digest)?; //~ process
        }
        {
            let index = self.index.lock().unwrap(); //~ lock
            index.record(&rel, &digest, mtime)?; //~ db
        }

        if self.uploader.exists_remote(&digest)? { //~ http_blocking
            return self.finish(&rel); //~ db
        }
        if size > self.cfg.large_file_bytes {
            let up = self.uploader.clone();
            let (rel2, digest2, p) = (rel.clone(), digest.clone(), path.to_owned());
            tokio::task::spawn_blocking(move || up.put(&rel2, &digest2, &p)).await??; //~ ok(http_blocking)
        } else {
            self.throttle.wait(); //~ sleep
            self.uploader.put(&rel, &digest, path)?; //~ http_blocking
        }
        self.finish(&rel) //~ db
    }

    fn finish(&self, rel: &str) -> anyhow::Result<()> {
        self.index.lock().unwrap().mark_synced(rel)?;
        Ok(())
    }

    fn resolve_conflict(&self, path: &Path, remote_digest: &str) -> anyhow::Result<()> {
        let Some(tool) = &self.cfg.merge_tool else {
            return Ok(());
        };
        let status = std::process::Command::new(tool)
            .arg(path)
            .arg(remote_digest)
            .status()?;
        anyhow::ensure!(status.success(), "merge tool failed for {}", path.display());
        Ok(())
    }

    async fn retry_pending(&self) {
        let pending = {
            let index = self.index.lock().unwrap(); //~ lock
            index.pending().unwrap_or_default() //~ db
        };
        for rel in pending {
            let path = self.cfg.root.join(&rel);
            let digest = match syncer::file_digest_async(&path).await {
                Ok(d) => d,
                Err(_) => continue,
            };
            self.throttle.wait_async().await; //~ ok(sleep)
            if let Err(e) = self.bulk.put(&rel, &digest, &path).await { //~ ok(http_blocking)
                tracing::warn!(%rel, error = %e, "retry upload failed");
                continue;
            }
            let _ = self.finish(&rel); //~ db
        }
    }
}
