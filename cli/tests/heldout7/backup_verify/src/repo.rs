//! Layout: `<root>/snapshots/<id>/{manifest.json,catalogue.bz2}` and
//! `<root>/chunks/<aa>/<digest>`.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use fs4::FileExt;

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: String,
    pub dir: PathBuf,
}

impl Snapshot {
    pub fn manifest_path(&self) -> PathBuf {
        self.dir.join("manifest.json")
    }

    pub fn catalogue_path(&self) -> PathBuf {
        self.dir.join("catalogue.bz2")
    }
}

#[derive(Debug)]
pub struct Repo {
    pub root: PathBuf,
}

impl Repo {
    pub fn open(root: &Path) -> io::Result<Repo> {
        let root = dunce::canonicalize(root)?;
        if !root.join("snapshots").is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no snapshots/ directory"));
        }
        Ok(Repo { root })
    }

    pub fn chunk_path(&self, digest: &str) -> PathBuf {
        self.root.join("chunks").join(&digest[..2.min(digest.len())]).join(digest)
    }

    pub fn free_bytes(&self) -> io::Result<u64> {
        fs4::available_space(&self.root)
    }

    pub fn list_snapshots(&self) -> io::Result<Vec<Snapshot>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.root.join("snapshots"))? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                let id = entry.file_name().to_string_lossy().into_owned();
                out.push(Snapshot { id, dir: entry.path() });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Directory of the previous snapshot (ids are sequence numbers).
    pub fn previous_of(&self, snap: &Snapshot) -> Option<PathBuf> {
        let prev = snap.id.parse::<u64>().ok()?.checked_sub(1)?;
        Some(snap.dir.parent()?.join(prev.to_string()))
    }
}

/// flock shared with the backup writer; released when the file is closed.
pub struct RepoLock {
    file: File,
}

impl RepoLock {
    pub fn new(file: File) -> RepoLock {
        RepoLock { file }
    }

    /// Non-blocking attempt; `Ok(false)` means the backup job holds it.
    pub fn try_lock(&self) -> io::Result<bool> {
        match FileExt::try_lock(&self.file) {
            Err(fs4::TryLockError::Error(e)) => Err(e),
            res => Ok(res.is_ok()),
        }
    }

    pub fn lock_blocking(&self) -> io::Result<()> {
        // Through the trait: std's inherent `File::lock` has the same name.
        FileExt::lock(&self.file)
    }
}

pub fn stamped_digest(path: &Path, attr: &str) -> io::Result<Option<String>> {
    Ok(xattr::get(path, attr)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
}
