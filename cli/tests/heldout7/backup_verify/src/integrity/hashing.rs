//! Chunks are named after the hex BLAKE3 digest of their content.

use std::io;
use std::path::Path;

/// Memory-maps the file when it is large enough.
pub fn blake3_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_mmap(path)?;
    Ok(hasher.finalize().to_hex().to_string())
}

pub fn blake3_bytes(data: &[u8]) -> String {
    blake3::hash(data).to_hex().to_string()
}
