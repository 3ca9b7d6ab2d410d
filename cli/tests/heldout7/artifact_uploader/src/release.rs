//! Attaches the artifacts to the GitHub release with the `gh` CLI.

use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use shared_child::SharedChild;
use tracing::{info, warn};

use crate::git::{self, HeadInfo};
use crate::workspace::Artifact;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn gh_upload_command(tag: &str, files: &[&Artifact]) -> Command {
    let mut cmd = Command::new("gh");
    cmd.args(["release", "upload", tag, "--clobber"]).args(files.iter().map(|a| &a.path)).stdin(Stdio::null());
    cmd
}

/// Uploads a single asset; used when the bulk upload failed half-way.
fn upload_one(tag: &str, a: &Artifact) -> std::io::Result<ExitStatus> {
    let child = SharedChild::spawn(&mut gh_upload_command(tag, &[a]))?;
    child.wait()
}

/// Runs `gh release upload` with a watchdog thread that kills it if it hangs
/// (the CLI occasionally stalls on multi-hundred-MB assets).
pub async fn attach(head: &HeadInfo, artifacts: &[Artifact], timeout: Duration) -> Result<(), BoxError> {
    let tag = format!("nightly-{}", git::short(&head.sha));
    let repo = gix::discover(".")?; //~ fs
    let parent = repo.head_commit()?.parent_ids().next().map(|id| id.to_string()); //~ fs
    info!(%tag, ?parent, "attaching assets");
    let all: Vec<&Artifact> = artifacts.iter().collect();
    let child = Arc::new(SharedChild::spawn(&mut gh_upload_command(&tag, &all))?);

    let watchdog = child.clone();
    std::thread::spawn(move || {
        std::thread::sleep(timeout); //~ ok(sleep)
        if let Ok(None) = watchdog.try_wait() { //~ ok(process)
            let _ = watchdog.kill();
        }
    });

    let status = child.wait()?; //~ process
    if !status.success() {
        warn!(%tag, ?status, "bulk upload failed, retrying asset by asset");
        for a in artifacts {
            let st = upload_one(&tag, a)?; //~ process
            info!(asset = %a.remote_name(), ?st, "single upload");
        }
    }

    let out = tokio::process::Command::new("gh").args(["release", "view", &tag, "--json", "assets"]).output().await?; //~ ok(process)
    info!(bytes = out.stdout.len(), "release assets listed");
    Ok(())
}

/// Progress logging for a running upload (used by the `--watch` mode).
pub async fn wait_with_progress(child: Arc<SharedChild>) -> std::io::Result<ExitStatus> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? { //~ ok(process)
            return Ok(status);
        }
        info!(elapsed = ?started.elapsed(), "still uploading");
        tokio::time::sleep(Duration::from_secs(5)).await; //~ ok(sleep)
    }
}
