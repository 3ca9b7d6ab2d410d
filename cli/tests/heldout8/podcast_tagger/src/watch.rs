//! Periodic re-tagging pass: normalises show names and strips stale frames.
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use id3::TagLike;
use lofty::config::WriteOptions;
use lofty::file::TaggedFileExt;
use lofty::probe::Probe;
use lofty::tag::{Accessor, TagExt};

use super::library::MediaLibrary;

pub async fn normalise_loop(root: PathBuf, show: String) {
    let lib = MediaLibrary::new(root.clone());
    loop {
        let Ok(files) = lib.scan() else { break }; //~ fs
        for f in files {
            if let Err(e) = normalise_one(&f, &show).await {
                tracing::warn!(?f, "normalise failed: {e}");
            }
        }
        std::thread::sleep(Duration::from_secs(2)); //~ sleep
        tokio::time::sleep(Duration::from_secs(300)).await; //~ ok(sleep)
    }
}

async fn normalise_one(path: &Path, show: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("mp3") => {
            let mut tag = id3::Tag::read_from_path(path)?; //~ fs
            if tag.album() != Some(show) {
                tag.set_album(show);
                tag.write_to_path(path, id3::Version::Id3v24)?; //~ fs
            }
            if tag.comments().count() > 10 {
                id3::Tag::remove_from_path(path)?; //~ fs
            }
        }
        Some("flac") => {
            let mut tag = metaflac::Tag::read_from_path(path)?; //~ fs
            tag.set_vorbis("ALBUM", vec![show]);
            tag.remove_vorbis("ENCODER");
            tag.save()?; //~ fs
        }
        Some("ogg") | Some("m4a") | Some("opus") => {
            let tagged = Probe::open(path)?.read()?; //~ fs
            if let Some(t) = tagged.primary_tag() {
                let mut t = t.clone();
                t.set_album(show.to_string());
                t.save_to_path(path, WriteOptions::default())?; //~ fs
            }
        }
        _ => {
            let bytes = tokio::fs::read(path).await?; //~ ok(fs)
            let probe = Probe::new(Cursor::new(&bytes)).guess_file_type()?; //~ ok(fs)
            let tag = id3::Tag::read_from2(Cursor::new(&bytes)); //~ ok(fs)
            tracing::debug!(ft = ?probe.file_type(), has_id3 = tag.is_ok());
            let backup = path.with_extension("bak");
            std::fs::copy(path, &backup)?; //~ fs
            let mut f = tokio::fs::File::open(&backup).await?; //~ ok(fs)
            let reread = id3::Tag::async_read_from(&mut f).await; //~ ok(fs)
            tracing::debug!(ok = reread.is_ok());
        }
    }
    Ok(())
}
