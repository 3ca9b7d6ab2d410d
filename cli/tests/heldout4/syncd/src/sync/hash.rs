use sha2::{Digest, Sha256};

use super::*;

pub fn file_digest(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

pub fn digest_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub async fn file_digest_async(path: &Path) -> io::Result<String> {
    let bytes = tokio::fs::read(path).await?; //~ ok(fs)
    Ok(digest_bytes(&bytes))
}
