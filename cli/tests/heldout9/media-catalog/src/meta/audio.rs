use std::path::Path;

use claxon::FlacReader;

use super::MediaInfo;

pub fn flac_info(path: &Path) -> anyhow::Result<MediaInfo> {
    let reader = FlacReader::open(path)?;
    let si = reader.streaminfo();
    Ok(MediaInfo {
        title: reader.get_tag("TITLE").next().map(String::from),
        artist: reader.get_tag("ARTIST").next().map(String::from),
        duration_ms: si.samples.map(|n| n * 1000 / si.sample_rate as u64),
        ..Default::default()
    })
}

/// Peak amplitude of the first `limit` samples, used for the waveform thumbnail.
pub fn peak(path: &Path, limit: usize) -> anyhow::Result<i32> {
    let mut reader = FlacReader::open(path)?;
    let mut peak = 0i32;
    for s in reader.samples().take(limit) {
        peak = peak.max(s?.abs());
    }
    Ok(peak)
}

/// Same as `flac_info` but from bytes already uploaded to us.
pub fn flac_info_from_bytes(bytes: Vec<u8>) -> anyhow::Result<MediaInfo> {
    let reader = FlacReader::new(std::io::Cursor::new(bytes))?;
    let si = reader.streaminfo();
    Ok(MediaInfo { duration_ms: si.samples.map(|n| n * 1000 / si.sample_rate as u64), ..Default::default() })
}
