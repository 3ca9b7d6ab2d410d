//! Running `cargo metadata` for the workspace's members, and what to do
//! when it fails.
//!
//! - A `rust-toolchain(.toml)` (or `rustup override`) naming a toolchain
//!   that is not installed makes rustup's `cargo` refuse to start. pollguard
//!   never compiles: any cargo reads the manifests. So when pollguard was
//!   not started by a given toolchain (`RUSTUP_TOOLCHAIN` unset, as when
//!   `cargo-pollguard` is run directly), it retries once with rustup's
//!   default toolchain and says so on stderr. `cargo +stable pollguard` and
//!   `RUSTUP_TOOLCHAIN=stable` choose one themselves.
//! - A member listed in `[workspace] members` whose directory is missing (an
//!   uninitialised git submodule) is an error naming the member, with the
//!   fix; scanning by paths is the explicit way to go on without it.
//! - Any other failure shows cargo's message with its line breaks, without
//!   a backtrace that `RUST_BACKTRACE` added.

use cargo_metadata::{Metadata, MetadataCommand};
use std::path::{Path, PathBuf};

/// The toolchain the workspace was read with instead of a pinned one that
/// is not installed; the dependency graph and `rustc` use it too.
static FALLBACK: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The toolchain [`exec`] fell back to, if it did.
pub fn fallback() -> Option<&'static str> {
    FALLBACK.get().map(String::as_str)
}

/// Gives `cmd` the toolchain [`exec`] fell back to, if it did.
pub fn same_toolchain(cmd: &mut std::process::Command) -> &mut std::process::Command {
    if let Some(t) = FALLBACK.get() {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
    cmd
}

/// [`same_toolchain`], for a `cargo metadata` query.
pub fn same_toolchain_metadata(cmd: &mut MetadataCommand) {
    if let Some(t) = FALLBACK.get() {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
}

/// Runs `cmd` (a `--no-deps` query, which resolves nothing and writes
/// nothing, so another toolchain's cargo gives the same answer), retrying
/// with rustup's default toolchain when the pinned one is not installed.
pub fn exec(cmd: &mut MetadataCommand, cwd: &Path) -> Result<Metadata, String> {
    let stderr = match cmd.exec() {
        Ok(md) => return Ok(md),
        Err(cargo_metadata::Error::CargoMetadata { stderr }) => stderr,
        Err(e) => return Err(format!("cannot read the Cargo workspace: {e}")),
    };
    if let Some(pinned) = missing_toolchain(&stderr) {
        let started_with = std::env::var("RUSTUP_TOOLCHAIN").ok();
        let retry = match &started_with {
            Some(_) => None,
            None => rustup_default().filter(|d| *d != pinned),
        };
        if let Some(default) = retry {
            cmd.env("RUSTUP_TOOLCHAIN", &default);
            match cmd.exec() {
                Ok(md) => {
                    let _ = FALLBACK.set(default.clone());
                    eprintln!(
                        "pollguard: note: the toolchain `{pinned}` this directory asks for is not installed; the workspace was read with `{default}` instead (pollguard never compiles, any toolchain reads the manifests)"
                    );
                    return Ok(md);
                }
                Err(cargo_metadata::Error::CargoMetadata { stderr }) => {
                    return Err(failed(&stderr, cwd));
                }
                Err(e) => return Err(format!("cannot read the Cargo workspace: {e}")),
            }
        }
        let chosen = match started_with {
            Some(t) => format!(" (`RUSTUP_TOOLCHAIN={t}`)"),
            None => " (rustup has no default toolchain to use instead)".to_owned(),
        };
        return Err(format!(
            "cannot read the Cargo workspace: the toolchain `{pinned}` is not installed{chosen}\n  \
             help: pollguard never compiles, so any installed toolchain will do: `RUSTUP_TOOLCHAIN=stable cargo pollguard`, \
             or pass the source directories as PATHs (`cargo pollguard .`)"
        ));
    }
    Err(failed(&stderr, cwd))
}

/// The error for a failure other than a missing toolchain.
fn failed(stderr: &str, cwd: &Path) -> String {
    if let Some((member, root)) = missing_member(stderr) {
        let rel = |p: &Path| -> String {
            let shown = crate::discover::display_path(p, &root);
            if shown.is_empty() {
                ".".to_owned()
            } else {
                shown
            }
        };
        let member_shown = rel(&member);
        let submodule = std::fs::read_to_string(root.join(".gitmodules")).is_ok_and(|t| {
            t.lines().any(|l| {
                l.trim()
                    .strip_prefix("path")
                    .and_then(|r| r.trim_start().strip_prefix('='))
                    .is_some_and(|p| p.trim().trim_end_matches('/') == member_shown)
            })
        });
        let there = if root == cwd {
            ".".to_owned()
        } else {
            crate::discover::display_path(&root, cwd)
        };
        let (why, fix) = if submodule {
            (
                "a git submodule that is not checked out",
                "check it out: `git submodule update --init` (in GitHub Actions, `actions/checkout` with `submodules: true`)",
            )
        } else {
            (
                "missing",
                "restore it, or remove it from `members` in [workspace] of Cargo.toml",
            )
        };
        return format!(
            "cannot read the Cargo workspace: its member `{member_shown}` is {why} (no `{member_shown}/Cargo.toml`)\n  \
             help: {fix}; or scan the files that are there by path, without the member: `cargo pollguard {there}`"
        );
    }
    format!(
        "cannot read the Cargo workspace: `cargo metadata` failed:\n{}",
        indented(stderr)
    )
}

/// The toolchain named by rustup's "toolchain '..' is not installed".
fn missing_toolchain(stderr: &str) -> Option<String> {
    stderr.lines().find_map(|l| {
        if !l.contains("is not installed") {
            return None;
        }
        let (_, rest) = l.split_once("toolchain '")?;
        let (name, _) = rest.split_once('\'')?;
        Some(name.to_owned())
    })
}

/// rustup's default toolchain, when rustup is there and has one.
fn rustup_default() -> Option<String> {
    let out = std::process::Command::new("rustup")
        .arg("default")
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let name = text.split_whitespace().next()?;
    (!name.is_empty() && text.contains("(default)")).then(|| name.to_owned())
}

/// The member and the workspace root of cargo's "failed to load manifest
/// for workspace member `..`", when the member has no `Cargo.toml`.
fn missing_member(stderr: &str) -> Option<(PathBuf, PathBuf)> {
    let quoted = |l: &str, after: &str| -> Option<PathBuf> {
        let (_, rest) = l.split_once(after)?;
        let (p, _) = rest.split_once('`')?;
        Some(PathBuf::from(p))
    };
    let member = stderr
        .lines()
        .find_map(|l| quoted(l, "failed to load manifest for workspace member `"))?;
    if member.join("Cargo.toml").exists() {
        return None;
    }
    let root = stderr
        .lines()
        .find_map(|l| quoted(l, "referenced by workspace at `"))
        .and_then(|m| m.parent().map(Path::to_path_buf))
        .or_else(|| member.parent().map(Path::to_path_buf))?;
    Some((member, root))
}

/// cargo's message, indented, without the backtrace `RUST_BACKTRACE` adds.
fn indented(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .take_while(|l| !l.trim_start().starts_with("Stack backtrace:"))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for l in lines {
        if l.trim().is_empty() && out.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        out.push(if l.trim().is_empty() {
            String::new()
        } else {
            format!("  {l}")
        });
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rustups_and_cargos_messages() {
        let rustup = "error: toolchain '1.2.3-x86_64-unknown-linux-gnu' is not installed\nhelp: run `rustup toolchain install` to install it\n\nStack backtrace:\n   0: anyhow\n";
        assert_eq!(
            missing_toolchain(rustup).as_deref(),
            Some("1.2.3-x86_64-unknown-linux-gnu")
        );
        assert_eq!(
            indented(rustup),
            "  error: toolchain '1.2.3-x86_64-unknown-linux-gnu' is not installed\n  help: run `rustup toolchain install` to install it"
        );
        let cargo = "error: failed to load manifest for workspace member `/nonexistent/ws/libs/common`\nreferenced by workspace at `/nonexistent/ws/Cargo.toml`\n\nCaused by:\n  failed to read\n";
        assert_eq!(
            missing_member(cargo),
            Some((
                PathBuf::from("/nonexistent/ws/libs/common"),
                PathBuf::from("/nonexistent/ws")
            ))
        );
        assert_eq!(missing_toolchain(cargo), None);
    }
}
