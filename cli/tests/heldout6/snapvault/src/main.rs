//! snapvault — content-addressed backup of a directory tree into a local
//! repository, with xz or lz4 compression.
//!
//! Usage: snapvault <backup|restore|verify> <repo> <path> [xz|lz4]

mod archive;
mod hashing;
mod manifest;
mod ops;

use std::path::PathBuf;

use anyhow::{bail, Context};

use crate::archive::Codec;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        bail!("usage: snapvault <backup|restore|verify> <repo> <path> [xz|lz4]");
    }
    let repo = PathBuf::from(&args[2]);
    let target = PathBuf::from(&args[3]);
    let codec = match args.get(4).map(String::as_str) {
        Some("lz4") => Codec::Lz4,
        Some("xz") | None => Codec::Xz,
        Some(other) => bail!("unknown codec {other}"),
    };

    let repo_meta = fs_err::tokio::metadata(&repo).await; //~ ok(fs)
    if repo_meta.is_err() {
        fs_err::create_dir_all(repo.join("objects")).context("creating repository")?; //~ fs
    }

    match args[1].as_str() {
        "backup" => ops::backup(&repo, &target, codec).await,
        "restore" => ops::restore(&repo, &target).await,
        "verify" => ops::verify(&repo).await,
        "gc" => ops::gc(&repo).await,
        other => bail!("unknown command {other}"),
    }
}
