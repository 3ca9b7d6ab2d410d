use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use exif::{In, Tag};

use super::MediaInfo;

fn from_exif(ex: &exif::Exif) -> MediaInfo {
    let s = |t: Tag| ex.get_field(t, In::PRIMARY).map(|f| f.display_value().to_string());
    MediaInfo {
        camera: s(Tag::Model),
        taken: s(Tag::DateTimeOriginal),
        width: ex.get_field(Tag::PixelXDimension, In::PRIMARY).and_then(|f| f.value.get_uint(0)),
        height: ex.get_field(Tag::PixelYDimension, In::PRIMARY).and_then(|f| f.value.get_uint(0)),
        ..Default::default()
    }
}

pub fn exif_info(path: &Path) -> anyhow::Result<MediaInfo> {
    let mut rdr = BufReader::new(File::open(path)?);
    let ex = exif::Reader::new().read_from_container(&mut rdr)?;
    Ok(from_exif(&ex))
}

pub fn exif_info_raw(tiff: Vec<u8>) -> anyhow::Result<MediaInfo> {
    Ok(from_exif(&exif::Reader::new().read_raw(tiff)?))
}
