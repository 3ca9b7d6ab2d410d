//! CI runner: a single-host agent that watches a checked-out workspace, runs the build, lint and test pipeline on every change and reports the results.

mod pacing;
mod pool;
mod reaper;
mod steps;
mod watch;

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub head: String,
    pub toolchain: String,
    pub build_ok: bool,
    pub lint_ok: bool,
    pub tests_passed: usize,
    pub tests_failed: usize,
    pub artifacts: Vec<(PathBuf, u64)>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let repo = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_string()));

    let watcher = watch::watch_workspace(&repo).await?;
    let (_config_watcher, mut config_events) = watch::watch_into_tokio(&repo.join(".ci")).await?;
    tokio::spawn(async move {
        while let Some(event) = config_events.recv().await { //~ ok(channel)
            tracing::info!(?event.kind, "pipeline configuration changed");
        }
    });

    loop {
        let change = watcher.next_change().await?;
        let coalesced = watcher.drain().await;
        tracing::info!(paths = ?change.paths, coalesced, "workspace changed");
        pacing::settle(250).await;

        match run_pipeline(&repo).await {
            Ok(report) => {
                pool::upload_report(&report).await?;
                pool::upload_report_offthread(report).await?;
            }
            Err(err) => tracing::error!(%err, "pipeline failed"),
        }
        let reaped = reaper::reap_zombies().await?;
        if reaped > 0 {
            tracing::debug!(reaped, "reaped stray children");
        }
    }
}

async fn run_pipeline(repo: &Path) -> anyhow::Result<Report> {
    if let Ok(raw) = tokio::fs::read_to_string(repo.join(".ci/server.pid")).await {
        if let Ok(pid) = raw.trim().parse::<i32>() {
            reaper::terminate(nix::unistd::Pid::from_raw(pid), std::time::Duration::from_secs(2)).await?;
        }
    }
    steps::git_fetch(repo).await?;
    steps::clean_checkout(repo).await?;
    pool::prefetch_dependencies(vec![repo.to_path_buf(), repo.join("tools")]).await?;
    let mut report = Report {
        head: steps::git_head(repo).await?,
        toolchain: steps::toolchain_versions(), //~ process
        ..Report::default()
    };

    steps::compose_up(repo).await?;
    let migrations = steps::run_migrations(repo).await?;
    anyhow::ensure!(migrations == 0, "migrations exited with {migrations}");
    report.build_ok = steps::cargo_build(repo).await?.status.success();
    report.lint_ok = steps::lint(repo).await?;
    let (passed, failed) = steps::run_tests(repo).await?;
    report.tests_passed = passed;
    report.tests_failed = failed;

    let server = steps::start_server(repo).await?;
    pacing::pace_until_ready(&server).await?;
    steps::stop_server(server).await?;

    let docs_ok = steps::build_docs(repo).await?;
    tracing::info!(docs_ok, disk = %steps::target_size(repo).await?, "post-build");

    let artifacts = steps::artifact_paths(repo).await?;
    report.artifacts = pool::checksum_artifacts(artifacts).await?;
    Ok(report)
}
