//! Single-stream compressed files: `.xz` (lzma-rs) and `.sz` (snappy frames).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

fn xz_err(e: lzma_rs::error::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

/// Decompresses a file from disk; the result is indexed as one member.
pub fn decode_stream(path: &Path) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    if path.extension().is_some_and(|e| e == "sz") {
        snap::read::FrameDecoder::new(File::open(path)?).read_to_end(&mut out)?;
    } else {
        lzma_rs::xz_decompress(&mut BufReader::new(File::open(path)?), &mut out).map_err(xz_err)?;
    }
    Ok(out)
}

/// Same for data that is already in memory.
pub fn decode_stream_bytes(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    lzma_rs::xz_decompress(&mut &data[..], &mut out).map_err(xz_err)?;
    Ok(out)
}
