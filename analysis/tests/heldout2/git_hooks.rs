//! Server-side hook handler for a git hosting service: a push arrives as a
//! JSON event, we inspect the new commits with git2 (synchronous, on-disk),
//! run the repository's lint script, and post a status.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use git2::{Oid, Repository, Sort};
use tokio::process::Command as TokioCommand;
use tokio::sync::RwLock;

#[derive(serde::Deserialize)]
pub struct PushEvent {
    pub repo: String,
    pub before: String,
    pub after: String,
    pub pusher: String,
}

pub struct HookServer {
    root: PathBuf,
    banned: RwLock<Vec<String>>,
    status_http: ureq::Agent,
}

fn commit_messages(repo: &Repository, from: Oid, to: Oid) -> Result<Vec<String>, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.push(to)?;
    walk.hide(from)?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    walk.map(|id| Ok(repo.find_commit(id?)?.message().unwrap_or("").to_owned()))
        .collect()
}

impl HookServer {
    fn repo_path(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.git"))
    }

    pub async fn on_push(self: Arc<Self>, ev: PushEvent) -> anyhow::Result<bool> {
        let path = self.repo_path(&ev.repo);
        let banned = self.banned.read().await; //~ ok(lock)
        if banned.contains(&ev.pusher) {
            return Ok(false);
        }
        drop(banned);

        let repo = Repository::open_bare(&path)?; //~ fs
        let from = Oid::from_str(&ev.before)?;
        let to = Oid::from_str(&ev.after)?;
        let msgs = commit_messages(&repo, from, to)?;
        if msgs.iter().any(|m| m.contains("DO NOT MERGE")) {
            return Ok(false);
        }

        let p2 = path.clone();
        let after = ev.after.clone();
        let lint_ok = tokio::task::spawn_blocking(move || {
            Command::new("./hooks/lint.sh") //~ ok(process)
                .current_dir(&p2)
                .arg(&after)
                .status() //~ ok(process)
                .map(|s| s.success())
                .unwrap_or(false)
        })
        .await?;

        let out = TokioCommand::new("git")
            .args(["--git-dir", path.to_str().unwrap(), "diff", "--stat", &ev.before, &ev.after])
            .output() //~ ok(process)
            .await?;
        tracing::info!(stat = %String::from_utf8_lossy(&out.stdout), "push diff");

        let size = Command::new("du")
            .arg("-sb")
            .arg(&path)
            .stdout(Stdio::piped())
            .output()?; //~ process
        let over_quota = String::from_utf8_lossy(&size.stdout)
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .map_or(false, |n| n > 2 << 30);

        self.post_status(&ev, lint_ok && !over_quota).await;
        Ok(lint_ok && !over_quota)
    }

    async fn post_status(&self, ev: &PushEvent, ok: bool) {
        let url = format!("https://ci.internal/status/{}/{}", ev.repo, ev.after);
        let req = self.status_http.post(&url); //~ ok(http_blocking)
        if let Err(e) = req.send_json(serde_json::json!({ "ok": ok })) { //~ http_blocking
            tracing::error!(%e, "status post failed");
        }
    }

    pub async fn gc_all(self: Arc<Self>) -> anyhow::Result<()> {
        let mut rd = tokio::fs::read_dir(&self.root).await?; //~ ok(fs)
        while let Some(entry) = rd.next_entry().await? {
            let p = entry.path();
            let mut child = Command::new("git").arg("--git-dir").arg(&p).arg("gc").arg("--auto").spawn()?; //~ ok(process)
            let status = child.wait()?; //~ process
            if !status.success() {
                tracing::warn!(repo = %p.display(), "gc failed");
            }
        }
        Ok(())
    }

    pub async fn ban(&self, who: String) {
        let mut b = self.banned.write().await; //~ ok(lock)
        b.push(who);
        let list = b.join("\n"); //~ ok(thread_join)
        tokio::fs::write(self.root.join("banned.txt"), list).await.ok(); //~ ok(fs)
    }

    pub async fn head_of(&self, name: &str) -> Option<String> {
        let path = self.repo_path(name);
        let head = Path::new(&path).join("HEAD");
        if !head.exists() { //~ fs
            return None;
        }
        let repo = git2::Repository::open(&path).ok()?; //~ fs
        let h = repo.head().ok()?.target()?; //~ fs
        Some(h.to_string())
    }
}

pub async fn archive(path: PathBuf, rev: String) -> std::io::Result<Vec<u8>> {
    let child = Command::new("git")
        .arg("--git-dir")
        .arg(&path)
        .args(["archive", "--format=tar.gz", &rev])
        .stdout(Stdio::piped())
        .spawn()?; //~ ok(process)
    let out = child.wait_with_output()?; //~ process
    Ok(out.stdout)
}
