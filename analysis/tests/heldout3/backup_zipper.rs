//! Backup agent: zips a set of directories, checksums the archive and uploads
//! it to a backup endpoint, keeping the last N archives locally.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};
use zip::write::FileOptions;
use zip::ZipWriter;

pub struct Plan {
    pub sources: Vec<PathBuf>,
    pub staging: PathBuf,
    pub endpoint: String,
    pub keep: usize,
}

/// Runs `f` on the blocking pool; every caller awaits it.
pub async fn offload<T, F>(f: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.expect("offloaded task panicked")
}

fn add_dir(zip: &mut ZipWriter<File>, dir: &Path, prefix: &str) -> zip::result::ZipResult<()> {
    for entry in fs::read_dir(dir)? { //~ ok(fs)
        let path = entry?.path();
        let name = format!("{prefix}/{}", path.file_name().unwrap().to_string_lossy());
        if path.is_dir() { //~ ok(fs)
            add_dir(zip, &path, &name)?;
        } else {
            zip.start_file(name, FileOptions::default())?;
            io::copy(&mut File::open(&path)?, zip)?; //~ ok(fs)
        }
    }
    Ok(())
}

pub async fn build_archive(plan: &Plan, stamp: &str) -> anyhow::Result<PathBuf> {
    let target = plan.staging.join(format!("backup-{stamp}.zip"));
    let file = File::create(&target)?; //~ fs
    let mut zip = ZipWriter::new(file);
    for src in &plan.sources {
        add_dir(&mut zip, src, &src.file_name().unwrap().to_string_lossy())?;
    }
    zip.set_comment(format!("pollguard backup {stamp}"));
    zip.finish()?; //~ miss(fs)
    Ok(target)
}

pub async fn build_archive_offloaded(plan: &Plan, stamp: String) -> io::Result<PathBuf> {
    let sources = plan.sources.clone();
    let target = plan.staging.join(format!("backup-{stamp}.zip"));
    offload(move || {
        let mut zip = ZipWriter::new(File::create(&target)?); //~ ok(fs)
        for src in &sources {
            add_dir(&mut zip, src, "root").map_err(io::Error::other)?;
        }
        zip.finish().map_err(io::Error::other)?; //~ ok(fs)
        Ok(target)
    })
    .await
}

pub async fn checksum(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?; //~ fs
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher)?; //~ miss(fs)
    Ok(hex::encode(hasher.finalize()))
}

pub async fn checksum_smol(path: PathBuf) -> io::Result<String> {
    smol::unblock(move || {
        let mut buf = Vec::new();
        File::open(&path)?.read_to_end(&mut buf)?; //~ ok(fs), ok(fs)
        Ok(hex::encode(Sha256::digest(&buf)))
    })
    .await
}

pub async fn upload(plan: &Plan, archive: &Path, sum: &str) -> anyhow::Result<()> {
    let body = fs::read(archive)?; //~ fs
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()?; //~ http_blocking
    let resp = client
        .put(format!("{}/{}", plan.endpoint, archive.file_name().unwrap().to_string_lossy()))
        .header("x-sha256", sum)
        .body(body)
        .send()?; //~ http_blocking
    anyhow::ensure!(resp.status().is_success(), "upload failed: {}", resp.status()); //~ ok(process)
    Ok(())
}

pub async fn upload_async(plan: &Plan, archive: &Path) -> anyhow::Result<u16> {
    let body = tokio::fs::read(archive).await?; //~ ok(fs)
    let resp = reqwest::Client::new().put(&plan.endpoint).body(body).send().await?; //~ ok(http_blocking)
    Ok(resp.status().as_u16()) //~ ok(process)
}

pub async fn prune(plan: &Plan) -> io::Result<usize> {
    let mut archives: Vec<_> = fs::read_dir(&plan.staging)? //~ fs
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".zip"))
        .collect();
    archives.sort_by_key(|e| e.metadata().and_then(|m| m.modified()).ok()); //~ fs
    let excess = archives.len().saturating_sub(plan.keep);
    for old in archives.iter().take(excess) {
        fs::remove_file(old.path())?; //~ fs
    }
    Ok(excess)
}

pub async fn nightly(plan: Plan) -> anyhow::Result<()> {
    let stamp = chrono::Utc::now().format("%Y%m%d").to_string();
    let archive = build_archive(&plan, &stamp).await?;
    let sum = futures::executor::block_on(checksum(&archive))?; //~ block_on
    upload(&plan, &archive, &sum).await?;
    let mut log = fs::OpenOptions::new().append(true).create(true).open(plan.staging.join("uploads.log"))?; //~ fs
    writeln!(log, "{stamp} {sum}")?; //~ fs
    log.flush()?; //~ ok(fs)
    prune(&plan).await?;
    Ok(())
}
