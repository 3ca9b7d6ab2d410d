mod codec;
mod objects;

pub use codec::{compress, decompress, Codec};

use std::path::{Path, PathBuf};

/// Object store below `<repo>/objects`, addressed by content digest.
#[derive(Clone)]
pub struct Archive {
    root: PathBuf,
}

impl Archive {
    pub fn new(repo: &Path) -> Self {
        Archive { root: repo.join("objects") }
    }

    pub fn object_path(&self, digest: &str, codec: Codec) -> PathBuf {
        self.root.join(&digest[..2]).join(format!("{}.{}", &digest[2..], codec.ext()))
    }
}
