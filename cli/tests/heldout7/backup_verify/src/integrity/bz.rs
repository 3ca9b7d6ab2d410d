//! Catalogue: bzip2-compressed `<digest> <size> <path>` lines.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use bzip2::read::BzDecoder;

#[derive(Debug, Clone)]
pub struct CatalogueEntry {
    pub digest: String,
    pub size: u64,
    pub path: PathBuf,
}

fn parse_line(line: &str) -> Option<CatalogueEntry> {
    let mut parts = line.splitn(3, ' ');
    let digest = parts.next()?.to_string();
    let size = parts.next()?.parse().ok()?;
    Some(CatalogueEntry { digest, size, path: PathBuf::from(parts.next()?) })
}

pub fn read_catalogue(path: &Path) -> io::Result<Vec<CatalogueEntry>> {
    let reader = BufReader::new(BzDecoder::new(File::open(path)?));
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.starts_with('#') {
            out.push(parse_line(&line).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, line))?);
        }
    }
    Ok(out)
}

/// Decodes a catalogue already in memory (small snapshots embed it).
pub fn decode_bytes(data: &[u8]) -> io::Result<Vec<CatalogueEntry>> {
    let mut text = String::new();
    BzDecoder::new(data).read_to_string(&mut text)?;
    Ok(text.lines().filter(|l| !l.starts_with('#')).filter_map(parse_line).collect())
}
