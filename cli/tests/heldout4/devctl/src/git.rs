use std::process::Command;

use anyhow::{bail, Context};

fn git(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .with_context(|| format!("running git {}", args.join(" ")))?;
    if !out.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn current_branch() -> anyhow::Result<String> {
    git(&["rev-parse", "--abbrev-ref", "HEAD"])
}

pub fn head_sha() -> anyhow::Result<String> {
    git(&["rev-parse", "--short=12", "HEAD"])
}

pub fn is_dirty() -> anyhow::Result<bool> {
    Ok(!git(&["status", "--porcelain"])?.is_empty())
}

pub fn short(sha: &str) -> &str {
    &sha[..sha.len().min(7)]
}

pub async fn fetch(remote: &str) -> anyhow::Result<()> {
    let status = tokio::process::Command::new("git")
        .args(["fetch", "--quiet", remote])
        .status() //~ ok(process)
        .await?;
    if !status.success() {
        bail!("git fetch {remote} failed");
    }
    Ok(())
}

pub fn install_hooks(root: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let hook = root.join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\nexec devctl status\n")?;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
}
