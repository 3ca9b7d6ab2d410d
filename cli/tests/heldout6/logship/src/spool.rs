use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lz4_flex::frame::{FrameDecoder, FrameEncoder};

pub fn compress_lines(lines: &[String]) -> Vec<u8> {
    let mut enc = FrameEncoder::new(Vec::new());
    for l in lines {
        let _ = enc.write_all(l.as_bytes());
        let _ = enc.write_all(b"\n");
    }
    enc.finish().unwrap_or_default()
}

/// Writes an lz4 frame into the spool atomically; returns its path.
pub fn write_batch(dir: &Path, lines: &[String]) -> anyhow::Result<PathBuf> {
    let tmp = tempfile::Builder::new().prefix("batch-").suffix(".lz4").tempfile_in(dir)?;
    let mut enc = FrameEncoder::new(tmp);
    for l in lines {
        enc.write_all(l.as_bytes())?;
        enc.write_all(b"\n")?;
    }
    let tmp = enc.finish()?;
    let (_file, path) = tmp.keep()?;
    Ok(path)
}

pub fn read_batch(path: &Path) -> anyhow::Result<Vec<u8>> {
    Ok(fs_err::read(path)?)
}

pub fn decode_batch<R: Read>(r: R) -> std::io::Result<String> {
    let mut out = String::new();
    FrameDecoder::new(r).read_to_string(&mut out)?;
    Ok(out)
}

pub fn pending(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match fs_err::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "lz4"))
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

pub fn oldest_age_secs(dir: &Path) -> u64 {
    pending(dir)
        .iter()
        .filter_map(|p| fs_err::metadata(p).ok()?.modified().ok())
        .filter_map(|t| SystemTime::now().duration_since(t).ok())
        .map(|d| d.as_secs())
        .max()
        .unwrap_or(0)
}
