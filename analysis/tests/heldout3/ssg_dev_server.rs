//! `ssg serve`: renders the site, serves it over HTTP, watches the content
//! directory and pushes a live-reload event to connected browsers.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::broadcast;

pub struct SiteConfig {
    pub content: PathBuf,
    pub output: PathBuf,
    pub sass: Option<PathBuf>,
}

pub struct DevServer {
    config: Arc<SiteConfig>,
    reload: broadcast::Sender<()>,
    events: Receiver<notify::Result<notify::Event>>,
}

fn render_markdown(src: &str) -> String {
    let parser = pulldown_cmark::Parser::new(src);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

fn render_page(path: &Path, out_dir: &Path) -> std::io::Result<PathBuf> {
    let src = fs::read_to_string(path)?; //~ ok(fs)
    let target = out_dir.join(path.file_stem().unwrap()).with_extension("html");
    fs::write(&target, render_markdown(&src))?; //~ ok(fs)
    Ok(target)
}

impl DevServer {
    pub async fn build_all(&self) -> anyhow::Result<usize> {
        let cfg = self.config.clone();
        if !cfg.output.exists() { //~ fs
            fs::create_dir_all(&cfg.output)?; //~ fs
        }
        let mut built = 0;
        for entry in fs::read_dir(&cfg.content)? { //~ fs
            let entry = entry?;
            let meta = entry.metadata()?; //~ fs
            if meta.is_file() && entry.path().extension().map_or(false, |e| e == "md") {
                render_page(&entry.path(), &cfg.output)?;
                built += 1;
            }
        }
        tracing::info!(built, bytes = fs::metadata(&cfg.output)?.len(), "site built"); //~ fs
        Ok(built)
    }

    pub async fn compile_styles(&self) -> anyhow::Result<()> {
        let Some(sass) = &self.config.sass else { return Ok(()) };
        let status = std::process::Command::new("sass")
            .arg(sass)
            .arg(self.config.output.join("style.css"))
            .status()?; //~ process
        anyhow::ensure!(status.success(), "sass failed");
        let check = tokio::process::Command::new("sass").arg("--version").output().await?; //~ ok(process)
        tracing::debug!(version = %String::from_utf8_lossy(&check.stdout));
        Ok(())
    }

    pub async fn watch_loop(self) -> anyhow::Result<()> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(&self.config.content, RecursiveMode::Recursive)?; //~ miss(fs)
        while let Ok(event) = rx.recv() { //~ channel
            let event = event?;
            for path in event.paths.iter().filter(|p| p.is_file()) { //~ miss(fs)
                render_page(path, &self.config.output)?;
            }
            let _ = self.reload.send(()); //~ ok(channel)
        }
        Ok(())
    }

    pub async fn next_change(&self) -> Option<notify::Event> {
        match self.events.recv_timeout(Duration::from_millis(200)) { //~ channel
            Ok(Ok(ev)) => Some(ev),
            _ => None,
        }
    }

    pub async fn rebuild_offloaded(&self, changed: Vec<PathBuf>) -> anyhow::Result<()> {
        let out = self.config.output.clone();
        tokio::task::spawn_blocking(move || {
            for p in &changed {
                let src = std::fs::read_to_string(p)?; //~ ok(fs)
                std::fs::write(out.join("last.html"), render_markdown(&src))?; //~ ok(fs)
            }
            Ok::<_, std::io::Error>(())
        })
        .await??;
        Ok(())
    }
}

pub async fn serve_file(root: &Path, url_path: &str) -> std::io::Result<Vec<u8>> {
    let mut path = root.join(url_path.trim_start_matches('/'));
    if tokio::fs::metadata(&path).await?.is_dir() { //~ ok(fs)
        path.push("index.html");
    }
    let body = tokio::fs::read(&path).await?; //~ ok(fs)
    Ok(body)
}

pub async fn live_reload(mut rx: broadcast::Receiver<()>) -> &'static str {
    tokio::select! {
        _ = rx.recv() => "reload", //~ ok(channel)
        _ = tokio::time::sleep(Duration::from_secs(30)) => { //~ ok(sleep)
            std::thread::sleep(Duration::from_millis(5)); //~ sleep
            "keepalive"
        }
    }
}

pub async fn inject_script(page: &Path) -> std::io::Result<String> {
    let html = std::fs::read_to_string(page)?; //~ fs
    let canonical = page.canonicalize()?; //~ fs
    Ok(html.replace(
        "</body>",
        &format!("<script src=\"/__reload.js?p={}\"></script></body>", canonical.display()),
    ))
}
