use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use duct::cmd;
use subprocess::Exec;

pub fn toolchain_versions() -> String {
    let rustc = cmd!("rustc", "--version").read().unwrap_or_default();
    let cargo = cmd!("cargo", "--version").read().unwrap_or_default();
    format!("{rustc}; {cargo}")
}

pub async fn git_fetch(repo: &Path) -> anyhow::Result<()> {
    let status = tokio::process::Command::new("git")
        .args(["fetch", "--prune", "origin"])
        .current_dir(repo)
        .status() //~ ok(process)
        .await?;
    anyhow::ensure!(status.success(), "git fetch failed");
    Ok(())
}

pub async fn clean_checkout(repo: &Path) -> anyhow::Result<()> {
    cmd!("git", "clean", "-fdx", "-e", ".ci").dir(repo).run()?; //~ process
    Exec::cmd("git")
        .args(["submodule", "update", "--init", "--recursive"])
        .cwd(repo)
        .join()?; //~ process
    Ok(())
}

pub async fn run_migrations(repo: &Path) -> anyhow::Result<i32> {
    let child = std::process::Command::new("sqlx")
        .args(["migrate", "run"])
        .current_dir(repo)
        .spawn()?; //~ ok(process)
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    crate::reaper::wait_for(pid).await
}

pub async fn git_head(repo: &Path) -> anyhow::Result<String> {
    let head = cmd!("git", "rev-parse", "HEAD").dir(repo).read()?; //~ process
    Ok(head)
}

pub async fn compose_up(repo: &Path) -> anyhow::Result<()> {
    let compose = cmd!("docker", "compose", "up", "-d", "--wait").dir(repo); //~ ok(process)
    compose.run()?; //~ process
    Ok(())
}

pub async fn cargo_build(repo: &Path) -> anyhow::Result<Output> {
    let output = cmd!("cargo", "build", "--release", "--locked")
        .dir(repo)
        .stderr_to_stdout()
        .stdout_capture()
        .unchecked()
        .run()?; //~ process
    Ok(output)
}

pub async fn lint(repo: &Path) -> anyhow::Result<bool> {
    let status = Exec::shell("cargo clippy --all-targets -- -D warnings")
        .cwd(repo)
        .join()?; //~ process
    Ok(status.success())
}

pub async fn run_tests(repo: &Path) -> anyhow::Result<(usize, usize)> {
    let tests = Exec::cmd("cargo").args(["test", "--", "-Z", "unstable-options", "--format=terse"]); //~ ok(process)
    let capture = tests.cwd(repo).capture()?; //~ process
    let out = capture.stdout_str();
    let passed = out.matches(" ok").count();
    let failed = out.matches("FAILED").count();
    Ok((passed, failed))
}

pub async fn start_server(repo: &Path) -> anyhow::Result<duct::Handle> {
    let handle = cmd!("./target/release/server", "--port", "18080")
        .dir(repo)
        .start()?; //~ ok(process)
    Ok(handle)
}

pub async fn server_exited(handle: &duct::Handle) -> anyhow::Result<bool> {
    Ok(handle.try_wait()?.is_some()) //~ ok(process)
}

pub async fn stop_server(handle: duct::Handle) -> anyhow::Result<()> {
    handle.kill()?; //~ ok(process)
    let output = handle.wait()?; //~ process
    tracing::info!(status = ?output.status, "server stopped");
    Ok(())
}

pub async fn build_docs(repo: &Path) -> anyhow::Result<bool> {
    let job = Exec::cmd("mdbook").arg("build").cwd(repo.join("book")).start()?; //~ ok(process)
    if let Some(status) = job.poll() { //~ ok(process)
        return Ok(status.success());
    }
    tokio::time::sleep(Duration::from_millis(500)).await; //~ ok(sleep)
    let status = job.wait()?; //~ process
    Ok(status.success())
}

pub async fn target_size(repo: &Path) -> anyhow::Result<String> {
    let capture = Exec::cmd("du").arg("-sh").arg(repo.join("target")).capture()?; //~ process
    Ok(capture.stdout_str().split_whitespace().next().unwrap_or("?").to_string())
}

pub async fn artifact_paths(repo: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut dir = tokio::fs::read_dir(repo.join("target/release")).await?;
    while let Some(entry) = dir.next_entry().await? {
        if entry.file_type().await?.is_file() {
            out.push(entry.path());
        }
    }
    Ok(out)
}
