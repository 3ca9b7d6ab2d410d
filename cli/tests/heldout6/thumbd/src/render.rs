//! Pure-ish image helpers. Everything here is synchronous; callers decide
//! whether to run it inline or on the blocking pool.

use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;

use anyhow::Result;
use image::{DynamicImage, ImageFormat, ImageReader};

/// Render a thumbnail of the file at `src` into `dst` (PNG).
pub fn make_thumbnail(src: &Path, dst: &Path, side: u32) -> Result<(u32, u32)> {
    let img = image::open(src)?;
    let thumb = img.thumbnail(side, side);
    thumb.save_with_format(dst, ImageFormat::Png)?;
    Ok((thumb.width(), thumb.height()))
}

/// Render a thumbnail entirely in memory.
pub fn thumbnail_bytes(bytes: &[u8], side: u32) -> Result<Vec<u8>> {
    let img = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .decode()?;
    encode_png(&img.thumbnail(side, side))
}

pub fn encode_png(img: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::with_capacity(16 * 1024));
    img.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

/// Encode into any seekable writer.
pub fn encode_into<W: Write + Seek>(img: &DynamicImage, fmt: ImageFormat, w: W) -> Result<()> {
    img.write_to(w, fmt)?;
    Ok(())
}

/// Sniff the MIME type from the first bytes of any reader.
pub fn sniff<R: Read>(mut r: R) -> std::io::Result<Option<&'static str>> {
    let mut head = [0u8; 64];
    let n = r.read(&mut head)?;
    Ok(infer::get(&head[..n]).map(|t| t.mime_type()))
}

pub fn is_supported_mime(mime: &str) -> bool {
    matches!(mime, "image/png" | "image/jpeg" | "image/gif" | "image/webp")
}
