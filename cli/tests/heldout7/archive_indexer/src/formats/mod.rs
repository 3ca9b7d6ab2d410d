//! Format-specific listing. Everything here is synchronous.

pub mod debian;
pub mod libarchive;
pub mod stream;

pub use debian::{deb_members, DebError};
pub use libarchive::{extract_member, list_members};
pub use stream::{decode_stream, decode_stream_bytes};

#[derive(Debug, Clone)]
pub struct Member {
    pub path: String,
    pub size: u64,
    pub mime: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Libarchive,
    Deb,
    Xz,
    Snappy,
    Unknown,
}

/// Classifies by sniffed MIME type first, extension second.
pub fn classify(sniffed: Option<&str>, file_name: &str) -> Kind {
    match sniffed {
        Some("application/vnd.debian.binary-package") => Kind::Deb,
        Some("application/x-xz") => Kind::Xz,
        Some("application/x-tar" | "application/zip" | "application/x-7z-compressed" | "application/gzip") => Kind::Libarchive,
        _ if file_name.ends_with(".deb") => Kind::Deb,
        _ if file_name.ends_with(".xz") => Kind::Xz,
        _ if file_name.ends_with(".sz") => Kind::Snappy,
        _ if file_name.ends_with(".tar.gz") || file_name.ends_with(".zip") => Kind::Libarchive,
        _ => Kind::Unknown,
    }
}
