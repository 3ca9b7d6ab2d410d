use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Audio,
    Photo,
    Video,
    Other,
}

/// Classifies by extension / guessed MIME type only (no file access).
pub fn kind_of(path: &Path) -> Kind {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match (mime.type_().as_str(), mime.subtype().as_str()) {
        ("audio", _) => Kind::Audio,
        ("image", _) => Kind::Photo,
        ("video", _) => Kind::Video,
        _ => Kind::Other,
    }
}

/// Recursively lists regular files under `root`, skipping dot-directories.
pub fn list_media(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if path.file_name().and_then(|n| n.to_str()).map_or(false, |n| n.starts_with('.')) {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    Ok(out)
}

pub fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(root).unwrap_or(path)
}
