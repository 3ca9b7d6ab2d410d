//! Metadata extractors per media kind, plus content hashing.

use std::fs::File;
use std::path::Path;

use memmap2::Mmap;
use sha2::{Digest, Sha256};

pub mod audio;
pub mod photo;
pub mod video;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct MediaInfo {
    pub title: Option<String>,
    pub artist: Option<String>,
    pub duration_ms: Option<u64>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub camera: Option<String>,
    pub taken: Option<String>,
}

/// Content hash used for de-duplication. Maps the file instead of reading it in chunks.
pub fn content_hash(path: &Path) -> anyhow::Result<String> {
    let file = File::open(path)?;
    let map = unsafe { Mmap::map(&file)? };
    let digest = Sha256::digest(&map[..]);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn hash_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
