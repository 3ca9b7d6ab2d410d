use std::path::{Path, PathBuf};

use imagesize::ImageSize;

pub struct CoverArt {
    sidecar: PathBuf,
}

impl CoverArt {
    pub fn from_sidecar(episode: &Path) -> Self {
        Self { sidecar: episode.with_extension("jpg") }
    }

    pub fn dimensions_on_disk(&self) -> Result<Option<ImageSize>, imagesize::ImageError> {
        if !self.sidecar.exists() {
            return Ok(None);
        }
        imagesize::size(&self.sidecar).map(Some)
    }

    pub fn embedded_dimensions(&self, bytes: &[u8]) -> Option<ImageSize> {
        imagesize::blob_size(bytes).ok()
    }
}
