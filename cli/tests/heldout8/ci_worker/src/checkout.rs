use std::path::Path;

use git2::build::{CheckoutBuilder, RepoBuilder};
use git2::{FetchOptions, Repository, ResetType, StatusOptions};

pub fn clone_or_fetch(url: &str, dir: &Path) -> Result<Repository, git2::Error> {
    if dir.join(".git").exists() {
        let repo = Repository::open(dir)?;
        {
            let mut remote = repo.find_remote("origin")?;
            remote.fetch(&["refs/heads/*:refs/remotes/origin/*"], Some(&mut FetchOptions::new()), None)?;
        }
        Ok(repo)
    } else {
        RepoBuilder::new().branch("main").clone(url, dir)
    }
}

pub fn head_summary(repo: &Repository) -> Result<String, git2::Error> {
    let head = repo.head()?;
    let commit = head.peel_to_commit()?;
    Ok(format!("{} {}", commit.id(), commit.summary().unwrap_or("")))
}

pub fn is_dirty(repo: &Repository) -> Result<bool, git2::Error> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(true);
    Ok(!repo.statuses(Some(&mut opts))?.is_empty())
}

pub fn hard_reset(repo: &Repository, rev: &str) -> Result<(), git2::Error> {
    let obj = repo.revparse_single(rev)?;
    repo.reset(&obj, ResetType::Hard, Some(CheckoutBuilder::new().force()))
}
