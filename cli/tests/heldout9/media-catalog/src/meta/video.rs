use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::Path;

use super::MediaInfo;

/// Keeps the parsed MP4 open so thumbnails can pull samples later.
pub struct VideoFile {
    pub mp4: mp4::Mp4Reader<BufReader<File>>,
}

impl VideoFile {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        Ok(Self { mp4: mp4::read_mp4(File::open(path)?)? })
    }

    pub fn info(&self) -> MediaInfo {
        let video = self.mp4.tracks().values().find(|t| t.width() > 0);
        MediaInfo {
            duration_ms: Some(self.mp4.duration().as_millis() as u64),
            width: video.map(|t| t.width() as u32),
            height: video.map(|t| t.height() as u32),
            ..Default::default()
        }
    }

    /// First sample of the video track (keyframe for the poster image).
    pub fn first_sample(&mut self) -> anyhow::Result<Option<Vec<u8>>> {
        let id = match self.mp4.tracks().values().find(|t| t.width() > 0) {
            Some(t) => t.track_id(),
            None => return Ok(None),
        };
        Ok(self.mp4.read_sample(id, 1)?.map(|s| s.bytes.to_vec()))
    }
}

pub fn header_from_bytes(bytes: Vec<u8>) -> anyhow::Result<MediaInfo> {
    let size = bytes.len() as u64;
    let mp4 = mp4::Mp4Reader::read_header(Cursor::new(bytes), size)?;
    Ok(MediaInfo { duration_ms: Some(mp4.duration().as_millis() as u64), ..Default::default() })
}
