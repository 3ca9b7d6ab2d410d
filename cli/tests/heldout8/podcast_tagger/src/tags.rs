use std::path::Path;

use id3::TagLike;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::tag::Accessor;

use crate::library::EpisodeMeta;

pub fn meta_from_id3(tag: &id3::Tag, path: &Path) -> EpisodeMeta {
    EpisodeMeta {
        path: path.to_path_buf(),
        title: tag.title().unwrap_or_default().to_string(),
        show: tag.album().unwrap_or_default().to_string(),
        duration_secs: tag.duration().map(|d| d as u64 / 1000).unwrap_or(0),
    }
}

pub fn meta_from_flac(tag: &metaflac::Tag, path: &Path) -> EpisodeMeta {
    let vc = tag.vorbis_comments();
    let first = |k: &str| {
        vc.and_then(|c| c.get(k))
            .and_then(|v| v.first().cloned())
            .unwrap_or_default()
    };
    let duration_secs = tag
        .get_streaminfo()
        .map(|si| si.total_samples / si.sample_rate.max(1) as u64)
        .unwrap_or(0);
    EpisodeMeta { path: path.to_path_buf(), title: first("TITLE"), show: first("ALBUM"), duration_secs }
}

/// Falls back to lofty for anything that is not mp3/flac.
pub fn probe_generic(path: &Path) -> lofty::error::Result<EpisodeMeta> {
    let tagged = lofty::read_from_path(path)?;
    let props = tagged.properties();
    let tag = tagged.primary_tag();
    Ok(EpisodeMeta {
        path: path.to_path_buf(),
        title: tag.and_then(|t| t.title().map(|s| s.to_string())).unwrap_or_default(),
        show: tag.and_then(|t| t.album().map(|s| s.to_string())).unwrap_or_default(),
        duration_secs: props.duration().as_secs(),
    })
}

/// Writes a title frame back into an mp3 file in place.
pub fn stamp_title(path: &Path, title: &str) -> id3::Result<()> {
    let mut tag = id3::Tag::read_from_path(path).unwrap_or_default();
    tag.set_title(title);
    tag.write_to_path(path, id3::Version::Id3v24)
}
