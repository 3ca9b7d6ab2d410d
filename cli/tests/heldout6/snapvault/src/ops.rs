use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use fslock::LockFile;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use walkdir::WalkDir;

use crate::archive::{compress, decompress, Archive, Codec};
use crate::hashing;
use crate::manifest::{Entry, Manifest};

const SMALL_FILE: u64 = 64 * 1024;

/// Takes the repository lock, waiting if another run holds it.
async fn lock_repo(repo: &Path) -> anyhow::Result<LockFile> {
    let mut lock = LockFile::open(&repo.join("LOCK"))?; //~ fs
    if !lock.try_lock()? { //~ ok(lock)
        tracing::info!("repository busy, waiting for the other snapvault");
        lock.lock()?; //~ lock
    }
    Ok(lock)
}

pub async fn backup(repo: &Path, src: &Path, codec: Codec) -> anyhow::Result<()> {
    let mut lock = lock_repo(repo).await?;
    let manifest_path = repo.join("MANIFEST");
    let mut manifest = Manifest::load_async(&manifest_path).await?; //~ ok(fs)
    let archive = Archive::new(repo);

    let walker = WalkDir::new(src).follow_links(false); //~ ok(fs)
    let files: Vec<PathBuf> = walker.into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect(); //~ fs
    tracing::info!(count = files.len(), "files to consider");

    let sem = Arc::new(Semaphore::new(4));
    let mut tasks = JoinSet::new();
    for path in files {
        if let Some(prev) = manifest.get(&path) {
            let meta = std::fs::metadata(&path)?; //~ fs
            if meta.len() == prev.size {
                let digest = hashing::digest_file(&path)?; //~ fs
                if digest == prev.digest {
                    continue;
                }
            }
        }
        let size = fs_err::tokio::metadata(&path).await?.len(); //~ ok(fs)
        if size <= SMALL_FILE {
            // Small files: read asynchronously, compress in memory.
            let bytes = fs_err::tokio::read(&path).await?; //~ ok(fs)
            let digest = hashing::digest(&bytes[..])?; //~ ok(fs)
            let dest = archive.object_path(&digest, Codec::Lz4);
            let packed = lz4_frame(&bytes)?; //~ ok(fs)
            fs_err::tokio::create_dir_all(dest.parent().unwrap()).await?; //~ ok(fs)
            fs_err::tokio::write(&dest, packed).await?; //~ ok(fs)
            manifest.insert(Entry { path, digest, size, codec: Codec::Lz4 });
            continue;
        }
        let permit = sem.clone().acquire_owned().await?; //~ ok(lock)
        let archive = archive.clone();
        tasks.spawn(async move {
            let _permit = permit;
            archive.put(&path, codec) //~ fs
        });
    }
    while let Some(res) = tasks.join_next().await { //~ ok(thread_join)
        manifest.insert(res??);
    }

    manifest.save(&manifest_path)?; //~ fs
    lock.unlock()?; //~ fs
    tracing::info!(entries = manifest.len(), "backup complete");
    Ok(())
}

fn lz4_frame(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    compress(Codec::Lz4, Cursor::new(bytes), &mut out)?;
    Ok(out)
}

pub async fn restore(repo: &Path, dest: &Path) -> anyhow::Result<()> {
    let mut lock = lock_repo(repo).await?;
    let manifest = Manifest::load(&repo.join("MANIFEST"))?; //~ fs
    let archive = Archive::new(repo);
    for entry in manifest.entries() {
        let rel = entry.path.strip_prefix("/").unwrap_or(&entry.path);
        let out = dest.join(rel);
        if entry.size <= SMALL_FILE {
            let packed = tokio::fs::read(archive.object_path(&entry.digest, entry.codec)).await?; //~ ok(fs)
            let mut plain = Vec::with_capacity(entry.size as usize);
            decompress(entry.codec, &packed[..], &mut plain)?; //~ ok(fs)
            if let Some(parent) = out.parent() {
                tokio::fs::create_dir_all(parent).await?; //~ ok(fs)
            }
            tokio::fs::write(&out, plain).await?; //~ ok(fs)
        } else {
            let a = archive.clone();
            let e = entry.clone();
            tokio::task::spawn_blocking(move || a.get(&e, &out)).await??; //~ ok(fs)
        }
    }
    lock.unlock()?; //~ fs
    Ok(())
}

pub async fn verify(repo: &Path) -> anyhow::Result<()> {
    let manifest = Manifest::load_async(&repo.join("MANIFEST")).await?; //~ ok(fs)
    let archive = Archive::new(repo);
    let mut bad = 0usize;
    for entry in manifest.entries() {
        let obj = archive.object_path(&entry.digest, entry.codec);
        let file = fs_err::File::open(&obj).with_context(|| format!("missing object {}", obj.display()))?; //~ fs
        let mut plain = Vec::new();
        decompress(entry.codec, file, &mut plain)?; //~ fs
        if hashing::digest_bytes(&plain) != entry.digest { //~ ok(fs)
            tracing::error!(path = %entry.path.display(), "digest mismatch");
            bad += 1;
        }
    }
    // Also check the manifest itself is readable through the sync path used by restore.
    let again = Manifest::load(&repo.join("MANIFEST"))?; //~ fs
    anyhow::ensure!(again.len() == manifest.len(), "manifest changed during verify");
    anyhow::ensure!(bad == 0, "{bad} corrupt objects");
    Ok(())
}

/// Removes objects no longer referenced by the manifest.
pub async fn gc(repo: &Path) -> anyhow::Result<()> {
    let mut lock = lock_repo(repo).await?;
    let manifest = Manifest::load(&repo.join("MANIFEST"))?; //~ fs
    let archive = Archive::new(repo);
    let live: std::collections::HashSet<PathBuf> = manifest.entries().map(|e| archive.object_path(&e.digest, e.codec)).collect();
    let mut removed = 0;
    for entry in WalkDir::new(repo.join("objects")).min_depth(2) { //~ fs
        let entry = entry?;
        if !live.contains(entry.path()) {
            fs_err::remove_file(entry.path())?; //~ fs
            removed += 1;
        }
    }
    lock.unlock()?; //~ fs
    tracing::info!(removed, "gc complete");
    Ok(())
}
