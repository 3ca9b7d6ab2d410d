//! Snapshot agent: a daemon that periodically bundles configured project directories into tar.gz, zip or 7z archives, prunes old bundles and keeps the backup volume under quota.

mod bundle;
mod lock;
mod retention;
mod scan;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    TarGz,
    Zip,
    SevenZ,
    TarStream,
    ZipStream,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Job {
    pub name: String,
    pub source: PathBuf,
    pub format: Format,
    #[serde(default = "default_keep")]
    pub keep: usize,
    #[serde(default)]
    pub ignore_file: Option<PathBuf>,
}

fn default_keep() -> usize {
    7
}

#[derive(Debug, Deserialize)]
pub struct AgentConfig {
    pub backup_root: PathBuf,
    pub cold_root: Option<PathBuf>,
    pub every_secs: u64,
    pub quota_bytes: u64,
    pub jobs: Vec<Job>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let mut args = std::env::args().skip(1);
    let first = args.next();
    if first.as_deref() == Some("restore") {
        let archive = PathBuf::from(args.next().unwrap_or_default());
        let into = PathBuf::from(args.next().unwrap_or_else(|| ".".to_string()));
        return restore(archive, into).await;
    }
    let config_path = first.unwrap_or_else(|| "/etc/snapshot-agent.json".to_string());
    let raw = tokio::fs::read_to_string(&config_path).await?; //~ ok(fs)
    let cfg: AgentConfig = serde_json::from_str(&raw)?; //~ ok(fs)

    let _lock = lock::exclusive(&cfg.backup_root).await?;

    let mut interval = tokio::time::interval(Duration::from_secs(cfg.every_secs));
    loop {
        interval.tick().await;
        for job in &cfg.jobs {
            if let Err(err) = run_job(&cfg, job).await {
                tracing::error!(job = %job.name, %err, "snapshot failed");
            }
        }
        if let Err(err) = retention::enforce_quota(&cfg.backup_root, cfg.quota_bytes).await {
            tracing::warn!(%err, "quota enforcement failed");
        }
        if let Some(cold) = &cfg.cold_root {
            retention::mirror_to_cold(&cfg.backup_root, cold).await?;
        }
    }
}

async fn run_job(cfg: &AgentConfig, job: &Job) -> anyhow::Result<()> {
    let source_bytes = retention::dir_bytes(&job.source); //~ fs
    tracing::info!(job = %job.name, source_bytes, "starting snapshot");

    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let dest = |ext: &str| cfg.backup_root.join(format!("{}-{stamp}.{ext}", job.name));

    let bundle = match job.format {
        Format::TarGz => {
            let files = scan::collect(&job.source, job.ignore_file.as_deref()).await?;
            bundle::write_tar_gz(&job.source, &files, &dest("tar.gz")).await?
        }
        Format::Zip => {
            let files = scan::collect(&job.source, job.ignore_file.as_deref()).await?;
            let out = bundle::write_zip(&job.source, &files, &dest("zip")).await?;
            bundle::verify_zip(&out).await?;
            out
        }
        Format::SevenZ => bundle::write_7z(&job.source, &dest("7z")).await?,
        Format::TarStream => bundle::write_tar_stream(&job.source, &dest("tar")).await?,
        Format::ZipStream => {
            let files = scan::quick_list(&job.source).await?;
            bundle::write_zip_stream(&job.source, &files, &dest("zip")).await?
        }
    };
    tracing::info!(bundle = %bundle.display(), "snapshot written");

    if job.keep == 0 {
        if let Some(cold) = &cfg.cold_root {
            retention::move_to_cold(&bundle, cold).await?;
        }
    }
    retention::prune(&cfg.backup_root, &job.name, job.keep).await?;
    Ok(())
}

async fn restore(archive: PathBuf, into: PathBuf) -> anyhow::Result<()> {
    let name = archive.to_string_lossy().into_owned();
    if name.ends_with(".7z") {
        bundle::restore_7z(&archive, &into).await
    } else if name.ends_with(".tar.gz") {
        bundle::restore_tar_gz(archive, into).await
    } else {
        bundle::restore_plain_tar(&archive, &into).await
    }
}

pub fn bundle_prefix(root: &Path, job: &str) -> PathBuf {
    root.join(format!("{job}-"))
}
