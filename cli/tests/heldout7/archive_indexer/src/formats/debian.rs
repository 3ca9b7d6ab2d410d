//! `.deb` = ar archive of `debian-binary`, `control.tar.*`, `data.tar.*`.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{decode_stream_bytes, Member};

#[derive(Debug, thiserror::Error)]
pub enum DebError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("libarchive: {0}")]
    Archive(#[from] compress_tools::Error),
}

/// Lists the files shipped in `data.tar.*` of a Debian package.
pub fn deb_members(path: &Path) -> Result<Vec<Member>, DebError> {
    let mut archive = ar::Archive::new(File::open(path)?);
    while let Some(entry) = archive.next_entry() {
        let mut entry = entry?;
        let name = String::from_utf8_lossy(entry.header().identifier()).into_owned();
        if !name.starts_with("data.tar") {
            continue;
        }
        let mut data = Vec::with_capacity(entry.header().size() as usize);
        entry.read_to_end(&mut data)?;
        let tar = if name.ends_with(".xz") { decode_stream_bytes(&data)? } else { data };
        let entries = compress_tools::list_archive_entries(io::Cursor::new(tar))?;
        return Ok(entries.into_iter().map(|e| Member { path: e.path, size: e.size, mime: None }).collect());
    }
    Err(io::Error::new(io::ErrorKind::InvalidData, "no data.tar member").into())
}
