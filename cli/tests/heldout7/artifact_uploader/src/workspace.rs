//! Which files are release artifacts: every `bin` target of a workspace member,
//! plus extra globs from `[package.metadata.artifacts] include = [...]`.

use std::path::PathBuf;

use cargo_metadata::Metadata;
use cargo_toml::Manifest;
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::hashing;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
pub struct Artifact {
    pub package: String,
    pub version: String,
    pub path: PathBuf,
    pub sha256: String,
    pub size: u64,
}

impl Artifact {
    pub fn remote_name(&self) -> String {
        let file = self.path.file_name().unwrap_or_default().to_string_lossy();
        format!("{}-{}/{}", self.package, self.version, file)
    }
}

/// Extra include globs from a member's manifest.
pub fn extra_globs(manifest: &Manifest) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    let include = manifest
        .package
        .as_ref()
        .and_then(|p| p.metadata.as_ref())
        .and_then(|m| m.get("artifacts"))
        .and_then(|a| a.get("include"))
        .and_then(|i| i.as_array())
        .cloned()
        .unwrap_or_default();
    for pattern in include.iter().filter_map(|v| v.as_str()) {
        builder.add(Glob::new(pattern)?);
    }
    builder.build()
}

pub async fn collect(meta: &Metadata) -> Result<Vec<Artifact>, BoxError> {
    let release_dir = meta.target_directory.as_std_path().join("release");
    let mut out = Vec::new();
    for pkg in meta.workspace_packages() {
        let manifest = Manifest::from_path(pkg.manifest_path.as_std_path())?; //~ fs
        let globs = extra_globs(&manifest)?; //~ ok(fs)
        let bins: Vec<&str> = pkg.targets.iter().filter(|t| t.is_bin()).map(|t| t.name.as_str()).collect();

        for entry in std::fs::read_dir(&release_dir)? { //~ fs
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            if !bins.contains(&name.as_str()) && !globs.is_match(&name) {
                continue;
            }
            // Debug info is published separately; keep the shipped binaries small.
            std::process::Command::new("strip").arg("--strip-debug").arg(&path).status()?; //~ process
            let size = std::fs::metadata(&path)?.len(); //~ fs
            let sha256 = hashing::sha256_file(&path)?; //~ fs
            out.push(Artifact { package: pkg.name.to_string(), version: pkg.version.to_string(), path, sha256, size });
        }
    }
    Ok(out)
}

/// The release notes template lives next to the workspace manifest.
pub async fn notes_template(meta: &Metadata) -> Result<String, BoxError> {
    let path = meta.workspace_root.as_std_path().join("Cargo.toml");
    let text = tokio::fs::read_to_string(&path).await?; //~ ok(fs)
    let mut manifest = Manifest::from_str(&text)?; //~ ok(fs)
    manifest.complete_from_path(&path)?; //~ fs
    let notes = manifest.workspace.as_ref().and_then(|w| w.metadata.as_ref()).and_then(|m| m.get("release-notes")).and_then(|v| v.as_str());
    Ok(notes.unwrap_or("Release {{version}}").to_string())
}
