mod bz;
mod hashing;

pub use bz::{decode_bytes, read_catalogue, CatalogueEntry};
pub use hashing::{blake3_bytes, blake3_file};

use std::collections::HashSet;
use std::io::{self, BufRead, BufReader};
use std::path::PathBuf;
use std::sync::Arc;

use bzip2::read::BzDecoder;
use serde::Deserialize;
use tracing::{debug, warn};

use crate::config::{BoxError, Config};
use crate::repo::{self, Repo, Snapshot};
use crate::report::SnapshotOutcome;

/// Chunks up to this size are read with tokio and hashed in memory.
const INLINE_HASH_LIMIT: u64 = 64 * 1024;

#[derive(Debug, Deserialize)]
struct Manifest {
    catalogue_digest: String,
    #[serde(default)]
    inline_catalogue: Option<Vec<u8>>,
    /// (digest, size) per chunk, in file order.
    chunks: Vec<(String, u64)>,
}

pub struct Verifier {
    repo: Arc<Repo>,
    cfg: Arc<Config>,
}

impl Verifier {
    pub fn new(repo: Arc<Repo>, cfg: Arc<Config>) -> Self {
        Verifier { repo, cfg }
    }

    pub async fn verify(&self, snap: &Snapshot) -> Result<SnapshotOutcome, BoxError> {
        let raw = tokio::fs::read(snap.manifest_path()).await?; //~ ok(fs)
        let manifest: Manifest = serde_json::from_slice(&raw)?;

        // Same inode as the predecessor: the job hard-linked the old tree and died.
        if let Some(prev) = self.repo.previous_of(snap) {
            if prev.exists() && same_file::is_same_file(&snap.dir, &prev)? { //~ fs
                return Ok(SnapshotOutcome::failed(&snap.id, "hard link of previous snapshot"));
            }
        }

        let entries = match &manifest.inline_catalogue {
            Some(bytes) => decode_bytes(bytes)?, //~ ok(fs)
            None => {
                let digest = blake3_file(&snap.catalogue_path())?; //~ fs
                if digest != manifest.catalogue_digest {
                    return Ok(SnapshotOutcome::failed(&snap.id, "catalogue digest mismatch"));
                }
                read_catalogue(&snap.catalogue_path())? //~ fs
            }
        };
        debug!(snapshot = %snap.id, header = %self.catalogue_header(snap).await?, "catalogue loaded");

        let mut outcome = SnapshotOutcome::ok(&snap.id, entries.len());
        let mut seen_inodes = HashSet::new();
        for (digest, size) in &manifest.chunks {
            let path = self.repo.chunk_path(digest);
            let meta = std::fs::metadata(&path)?; //~ fs
            if meta.len() != *size {
                outcome.bad_chunk(digest, "size mismatch");
                continue;
            }

            // Two chunk names on one inode: the dedup index is corrupt.
            let handle = same_file::Handle::from_path(&path)?; //~ fs
            if !seen_inodes.insert((handle.dev(), handle.ino())) {
                outcome.bad_chunk(digest, "aliased inode");
            }

            if let Some(stamp) = repo::stamped_digest(&path, &self.cfg.digest_xattr)? { //~ fs
                if &stamp == digest {
                    continue;
                }
                warn!(chunk = %digest, %stamp, "stale digest stamp");
            }

            let actual = if meta.len() <= INLINE_HASH_LIMIT {
                let data = tokio::fs::read(&path).await?; //~ ok(fs)
                blake3_bytes(&data) //~ ok(fs)
            } else {
                blake3_file(&path)? //~ fs
            };
            if &actual == digest {
                xattr::set(&path, &self.cfg.digest_xattr, actual.as_bytes())?; //~ fs
            } else {
                let attrs: Vec<_> = xattr::list(&path)?.collect(); //~ fs
                let shown = dunce::simplified(&path).display().to_string(); //~ ok(fs)
                warn!(chunk = %shown, ?attrs, "digest mismatch");
                outcome.bad_chunk(digest, "digest mismatch");
            }
        }
        Ok(outcome)
    }

    /// The first line of the catalogue records the job that wrote it.
    async fn catalogue_header(&self, snap: &Snapshot) -> Result<String, BoxError> {
        let file = std::fs::File::open(snap.catalogue_path())?; //~ fs
        let mut reader = BufReader::new(BzDecoder::new(file));
        let mut header = String::new();
        reader.read_line(&mut header)?; //~ fs
        Ok(header.trim_start_matches('#').trim().to_string())
    }

    /// Weekly deep scrub: re-hash everything on the blocking pool.
    pub async fn rehash_all(&self, paths: Vec<PathBuf>) -> Result<Vec<(PathBuf, String)>, BoxError> {
        let handle = tokio::task::spawn_blocking(move || {
            let mut out = Vec::with_capacity(paths.len());
            for p in paths {
                let digest = blake3_file(&p)?; //~ ok(fs)
                out.push((p, digest));
            }
            Ok::<_, io::Error>(out)
        });
        Ok(handle.await??)
    }

    pub async fn diff_catalogues(&self, a: &Snapshot, b: &Snapshot) -> Result<Vec<PathBuf>, BoxError> {
        let left = read_catalogue(&a.catalogue_path())?; //~ fs
        let right: HashSet<PathBuf> = read_catalogue(&b.catalogue_path())?.into_iter().map(|e| e.path).collect(); //~ fs
        let real_root = dunce::canonicalize(&self.repo.root)?; //~ fs
        Ok(left.into_iter().filter(|e| !right.contains(&e.path)).map(|e| real_root.join(e.path)).collect())
    }
}
