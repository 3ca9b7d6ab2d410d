use std::fs::File;
use std::path::Path;

use compress_tools::{list_archive_entries, uncompress_archive_file};

use super::*;

/// Lists every member of a tar/zip/7z/cpio/iso archive through libarchive.
pub fn list_members(path: &Path) -> compress_tools::Result<Vec<Member>> {
    let mut file = File::open(path)?;
    let entries = list_archive_entries(&mut file)?;
    Ok(entries
        .into_iter()
        .map(|e| Member { mime: mime_guess::from_path(&e.path).first().map(|m| m.to_string()), path: e.path, size: e.size })
        .collect())
}

/// Extracts a single member into memory (used for manifests and READMEs).
pub fn extract_member(path: &Path, member: &str) -> compress_tools::Result<Vec<u8>> {
    let mut out = Vec::new();
    uncompress_archive_file(File::open(path)?, &mut out, member)?;
    Ok(out)
}
