//! Thin wrappers over xshell. All synchronous: each waits for the child.

use xshell::{cmd, Shell};

pub fn service_status(unit: &str) -> anyhow::Result<String> {
    let sh = Shell::new()?;
    let out = cmd!(sh, "systemctl is-active {unit}").ignore_status().read()?;
    Ok(format!("{unit}: {out}"))
}

pub fn git_head(repo: &str) -> anyhow::Result<String> {
    let sh = Shell::new()?;
    let _dir = sh.push_dir(repo);
    let head = cmd!(sh, "git rev-parse --short HEAD").read()?;
    let branch = cmd!(sh, "git rev-parse --abbrev-ref HEAD").read()?;
    Ok(format!("{branch}@{head}"))
}

/// Runs `scripts/<name>.sh` if it exists.
pub fn run_script(name: &str) -> anyhow::Result<String> {
    let sh = Shell::new()?;
    let path = format!("scripts/{name}.sh");
    if !sh.path_exists(&path) {
        anyhow::bail!("no such script {path}");
    }
    Ok(cmd!(sh, "bash {path}").read()?)
}
