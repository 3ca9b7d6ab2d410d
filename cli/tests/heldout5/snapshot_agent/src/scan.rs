use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

pub async fn collect(root: &Path, extra_ignore: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let mut builder = WalkBuilder::new(root); //~ ok(fs)
    builder.hidden(false).git_ignore(true).follow_links(false);
    if let Some(ignore_file) = extra_ignore {
        if let Some(err) = builder.add_ignore(ignore_file) { //~ fs
            tracing::warn!(%err, "could not read extra ignore file");
        }
    }
    let walker = builder.build(); //~ fs
    let files: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .map(|entry| entry.into_path())
        .collect(); //~ fs
    Ok(files)
}

pub async fn quick_list(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let files: Vec<PathBuf> = jwalk::WalkDir::new(root).skip_hidden(false).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).map(|e| e.path()).collect(); //~ fs
    Ok(files)
}
