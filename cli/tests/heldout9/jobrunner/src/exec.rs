//! Running the actual build commands.

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub struct BuildOutput {
    pub ok: bool,
    pub log: String,
}

/// Clones (or updates) the repository into `dir`.
pub fn checkout(repo: &str, dir: &Path) -> std::io::Result<()> {
    if dir.join(".git").exists() {
        Command::new("git").arg("-C").arg(dir).args(["pull", "--ff-only"]).status()?;
    } else {
        Command::new("git").args(["clone", "--depth", "1", repo]).arg(dir).status()?;
    }
    Ok(())
}

pub fn run_shell(cmd: &str, dir: &Path) -> std::io::Result<BuildOutput> {
    let out: Output = Command::new("sh").arg("-c").arg(cmd).current_dir(dir).output()?;
    Ok(BuildOutput {
        ok: out.status.success(),
        log: String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    })
}

pub fn spawn_detached(cmd: &str) -> std::io::Result<std::process::Child> {
    Command::new("sh").arg("-c").arg(cmd).stdout(Stdio::null()).spawn()
}

pub async fn run_shell_async(cmd: &str, dir: &Path) -> std::io::Result<BuildOutput> {
    let out = tokio::process::Command::new("sh").arg("-c").arg(cmd).current_dir(dir).output().await?;
    Ok(BuildOutput { ok: out.status.success(), log: String::from_utf8_lossy(&out.stdout).into_owned() })
}
