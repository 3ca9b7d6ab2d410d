use std::path::Path;

pub struct HeadInfo {
    pub sha: String,
    pub branch: String,
}

/// Branch and commit of the checkout, read with gitoxide (no `git` binary on
/// the minimal runner images).
pub fn head_info(dir: &Path) -> Result<HeadInfo, Box<dyn std::error::Error + Send + Sync>> {
    let repo = gix::discover(dir)?;
    let sha = repo.head_id()?.to_string();
    let branch = repo
        .head_name()?
        .map(|name| name.shorten().to_string())
        .unwrap_or_else(|| "detached".to_string());
    Ok(HeadInfo { sha, branch })
}

pub fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}
