use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::audio::{self, Probe};

#[derive(Clone, Debug)]
pub struct Item {
    pub path: PathBuf,
    pub probe: Probe,
}

pub fn list_wavs(root: &Path) -> Vec<PathBuf> {
    WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("wav")))
        .map(|e| e.into_path())
        .collect()
}

/// CPU + file heavy; meant to run inside a rayon pool.
pub fn analyse_all(paths: &[PathBuf]) -> Vec<Item> {
    paths
        .par_iter()
        .filter_map(|p| match audio::probe_file(p) {
            Ok(probe) => Some(Item { path: p.clone(), probe }),
            Err(e) => {
                tracing::warn!(path = %p.display(), error = %e, "unreadable wav");
                None
            }
        })
        .collect()
}
