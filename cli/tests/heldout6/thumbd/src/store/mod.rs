mod ops;
mod stats;

pub use stats::Stats;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use walkdir::WalkDir;

/// On-disk layout of originals and rendered thumbnails.
pub struct Store {
    root: PathBuf,
    stats: Mutex<Stats>,
}

impl Store {
    pub fn open(root: &Path) -> anyhow::Result<Self> {
        let originals = root.join("originals");
        std::fs::create_dir_all(&originals)?;
        std::fs::create_dir_all(root.join("thumbs"))?;
        let count = WalkDir::new(&originals)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count();
        Ok(Store {
            root: root.to_path_buf(),
            stats: Mutex::new(Stats {
                originals: count as u64,
                ..Stats::default()
            }),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn original_path(&self, name: &str) -> PathBuf {
        self.root.join("originals").join(sanitize(name))
    }

    pub fn thumb_path(&self, name: &str, side: u32) -> PathBuf {
        self.root
            .join("thumbs")
            .join(format!("{side}-{}.png", sanitize(name)))
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect()
}
