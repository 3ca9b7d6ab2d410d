use std::path::{Path, PathBuf};

pub fn dir_bytes(path: &Path) -> u64 {
    fs_extra::dir::get_size(path).unwrap_or(0)
}

async fn list_bundles(root: &Path, job: &str) -> anyhow::Result<Vec<PathBuf>> {
    let prefix = format!("{job}-");
    let mut out = Vec::new();
    let mut entries = tokio::fs::read_dir(root).await?;
    while let Some(entry) = entries.next_entry().await? {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            out.push(entry.path());
        }
    }
    out.sort();
    out.reverse();
    Ok(out)
}

pub async fn prune(root: &Path, job: &str, keep: usize) -> anyhow::Result<usize> {
    let bundles = list_bundles(root, job).await?;
    let stale: Vec<PathBuf> = bundles.into_iter().skip(keep).collect();
    if !stale.is_empty() {
        fs_extra::remove_items(&stale)?; //~ fs
    }
    Ok(stale.len())
}

pub async fn enforce_quota(root: &Path, quota: u64) -> anyhow::Result<()> {
    let used = fs_extra::dir::get_size(root)?; //~ fs
    let available = fs2::available_space(root)?; //~ fs
    tracing::info!(used, available, quota, "backup volume usage");
    if used <= quota {
        return Ok(());
    }
    let root = root.to_path_buf();
    let remaining = tokio::task::spawn_blocking(move || fs_extra::dir::get_size(&root)).await??; //~ ok(fs)
    tracing::warn!(remaining, "over quota");
    Ok(())
}

pub async fn mirror_to_cold(root: &Path, cold: &Path) -> anyhow::Result<u64> {
    let mut options = fs_extra::dir::CopyOptions::new(); //~ ok(fs)
    options.overwrite = true;
    options.content_only = true;
    let copied = fs_extra::dir::copy(root, cold, &options)?; //~ fs
    Ok(copied)
}

pub async fn move_to_cold(bundle: &Path, cold: &Path) -> anyhow::Result<()> {
    let name = bundle.file_name().ok_or_else(|| anyhow::anyhow!("bundle without a name"))?;
    let options = fs_extra::file::CopyOptions::new().overwrite(true); //~ ok(fs)
    fs_extra::file::move_file(bundle, cold.join(name), &options)?; //~ fs
    Ok(())
}
