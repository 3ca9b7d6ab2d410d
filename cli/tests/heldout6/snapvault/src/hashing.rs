use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// SHA-256 of everything readable from `r`, hex encoded.
pub fn digest<R: Read>(mut r: R) -> io::Result<String> {
    let mut hasher = Sha256::new();
    io::copy(&mut r, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

pub fn digest_file(path: &Path) -> io::Result<String> {
    let f = fs_err::File::open(path)?;
    digest(io::BufReader::new(f))
}

pub fn digest_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
