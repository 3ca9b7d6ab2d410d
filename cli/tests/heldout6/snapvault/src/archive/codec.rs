use std::io::{self, Read, Write};

use xz2::read::XzDecoder;
use xz2::write::XzEncoder;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    Xz,
    Lz4,
}

impl Codec {
    pub fn ext(self) -> &'static str {
        match self {
            Codec::Xz => "xz",
            Codec::Lz4 => "lz4",
        }
    }

    pub fn from_ext(ext: &str) -> Option<Codec> {
        match ext {
            "xz" => Some(Codec::Xz),
            "lz4" => Some(Codec::Lz4),
            _ => None,
        }
    }
}

/// Stream `r` through the codec into `w`; returns bytes read.
pub fn compress<R: Read, W: Write>(codec: Codec, mut r: R, w: W) -> io::Result<u64> {
    match codec {
        Codec::Xz => {
            let mut enc = XzEncoder::new(w, 6);
            let n = io::copy(&mut r, &mut enc)?;
            enc.finish()?;
            Ok(n)
        }
        Codec::Lz4 => {
            let mut enc = lz4_flex::frame::FrameEncoder::new(w);
            let n = io::copy(&mut r, &mut enc)?;
            enc.finish().map_err(io::Error::from)?;
            Ok(n)
        }
    }
}

pub fn decompress<R: Read, W: Write>(codec: Codec, r: R, mut w: W) -> io::Result<u64> {
    match codec {
        Codec::Xz => io::copy(&mut XzDecoder::new(r), &mut w),
        Codec::Lz4 => io::copy(&mut lz4_flex::frame::FrameDecoder::new(r), &mut w),
    }
}
