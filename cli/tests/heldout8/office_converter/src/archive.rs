use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::{Path, PathBuf};

pub struct Archive {
    dir: PathBuf,
}

impl Archive {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// gzip-compresses `src` into the archive directory.
    pub fn gzip(&self, src: &Path) -> io::Result<PathBuf> {
        let dest = self.dir.join(format!(
            "{}.gz",
            src.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        let mut input = BufReader::new(File::open(src)?);
        let mut enc = libflate::gzip::Encoder::new(BufWriter::new(File::create(&dest)?))?;
        io::copy(&mut input, &mut enc)?;
        enc.finish().into_result()?;
        Ok(dest)
    }

    pub fn gunzip_to_vec(&self, src: &Path) -> io::Result<Vec<u8>> {
        let mut dec = libflate::gzip::Decoder::new(BufReader::new(File::open(src)?))?;
        let mut out = Vec::new();
        io::copy(&mut dec, &mut out)?;
        Ok(out)
    }

    /// Decompresses a .zst file next to itself; returns the decompressed size.
    pub fn unzstd(&self, src: &Path) -> io::Result<u64> {
        let mut f = File::open(src)?;
        let mut dec = ruzstd::StreamingDecoder::new(&mut f).map_err(io::Error::other)?;
        let mut out = File::create(src.with_extension(""))?;
        io::copy(&mut dec, &mut out)
    }
}

pub async fn verify_roundtrip(a: &Archive, src: &Path) -> io::Result<bool> {
    let packed = a.gzip(src)?; //~ fs
    let raw = a.gunzip_to_vec(&packed)?; //~ fs
    let original = tokio::fs::read(src).await?; //~ ok(fs)
    let mut mem = libflate::gzip::Encoder::new(Vec::new())?; //~ ok(fs)
    io::Write::write_all(&mut mem, &original)?; //~ ok(fs)
    let compressed = mem.finish().into_result()?; //~ ok(fs)
    let back = libflate::gzip::Decoder::new(&compressed[..])?; //~ ok(fs)
    drop(back);
    let on_disk = libflate::gzip::Decoder::new(File::open(&packed)?)?; //~ fs
    drop(on_disk);
    let mut fd = ruzstd::FrameDecoder::new(); //~ ok(fs)
    fd.reset(&mut io::Cursor::new(&original)).ok(); //~ ok(fs)
    Ok(raw == original)
}
