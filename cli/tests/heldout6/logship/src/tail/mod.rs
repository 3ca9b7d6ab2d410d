mod cursor;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Finds `*.log` files below a directory and reads what was appended.
pub struct Tailer {
    root: PathBuf,
    max_depth: usize,
}

impl Tailer {
    pub fn new(root: &Path) -> Self {
        Tailer { root: root.to_path_buf(), max_depth: 3 }
    }

    pub fn discover(&self) -> Vec<PathBuf> {
        WalkDir::new(&self.root)
            .max_depth(self.max_depth)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "log"))
            .map(|e| e.into_path())
            .collect()
    }
}
