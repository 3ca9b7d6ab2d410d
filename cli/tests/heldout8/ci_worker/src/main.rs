//! Minimal CI worker: polls a job queue, checks out the repo, runs the pipeline steps.
mod checkout;
mod jobs;
mod runner;
mod workspace;

use std::path::PathBuf;
use std::time::Duration;

use jobs::{Job, JobQueue};
use workspace::Workspace;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let root = PathBuf::from("/var/lib/ci-worker");
    let ws = Workspace::new(root.clone());
    let _guard = ws.acquire()?; //~ lock
    let queue = JobQueue::new(root.join("queue"));

    loop {
        let Some(job) = queue.next_job().await? else { //~ ok(fs)
            tokio::time::sleep(Duration::from_secs(5)).await; //~ ok(sleep)
            continue;
        };
        if let Err(e) = run_job(&ws, &job).await {
            tracing::error!(job = %job.id, "job failed: {e}");
            queue.mark_failed(&job)?; //~ fs
        } else {
            queue.mark_done(&job).await?; //~ ok(fs)
        }
    }
}

async fn run_job(ws: &Workspace, job: &Job) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let dir = ws.job_dir(&job.id);
    let repo = checkout::clone_or_fetch(&job.repo_url, &dir)?; //~ net
    let head = checkout::head_summary(&repo)?; //~ fs
    tracing::info!(%head, "checked out");
    if checkout::is_dirty(&repo)? { //~ fs
        checkout::hard_reset(&repo, &job.rev)?; //~ fs
    }
    let rev_ok = git2::Oid::from_str(&job.rev).is_ok(); //~ ok(fs)
    let mirror = git2::Repository::open(ws.cache_dir().join("mirror.git"))?; //~ fs
    let mut origin = mirror.remote_anonymous(&job.repo_url)?; //~ ok(net)
    origin.fetch(&[job.rev.as_str()], None, None)?; //~ net
    let builder = git2::build::RepoBuilder::new(); //~ ok(net)
    drop(builder);
    let shared = std::fs::File::open(ws.cache_dir().join("worker.lock"))?; //~ fs
    let _read_guard = file_guard::lock(&shared, file_guard::Lock::Shared, 0, 1)?; //~ lock
    let log = std::process::Command::new("git").args(["log", "-1"]).current_dir(&dir).output()?; //~ process
    tracing::debug!(log = %String::from_utf8_lossy(&log.stdout));
    tracing::debug!(rev_ok);

    for step in &job.steps {
        let out = match step.kind.as_str() {
            "shell" => runner::run_shell(&dir, &step.script)?, //~ process
            "cargo" => runner::cargo(&dir, &step.args)?, //~ process
            "script" => runner::run_script_step(&step.script)?, //~ process
            _ => runner::run_async(&dir, &step.args).await?, //~ ok(process)
        };
        tokio::fs::write(dir.join(format!("{}.log", step.name)), &out).await?; //~ ok(fs)
    }

    let uname = cmd_lib::run_fun!(uname -a)?; //~ process
    cmd_lib::run_cmd!(git -C $dir gc --auto)?; //~ process
    let mut bg = cmd_lib::spawn!(sync)?; //~ ok(process)
    bg.wait()?; //~ process
    let limited = runner::with_deadline(&dir, Duration::from_secs(600))?; //~ process
    tracing::info!(%uname, ?limited, "job finished");
    Ok(())
}
