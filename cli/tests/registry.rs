//! The analysis over every `.rs` file of the crates this build downloaded
//! (the registry packages of the workspace's `cargo metadata`: tokio, syn,
//! serde, windows-sys, ...), read from the local Cargo registry cache: no
//! file may make it panic. Skipped, with a note, when none is there.
//!
//! Debug builds parse slowly and the generated bindings alone (windows-sys,
//! linux-raw-sys) are ~35 MB, so the files are taken round-robin across
//! crates, every crate's first files first, and the test stops taking new
//! files after `POLLGUARD_REGISTRY_SECS` seconds (default 45; `0` for no
//! limit, as in a release run: `cargo test --release -p cargo-pollguard
//! --test registry`). It prints how many files it covered.

use cargo_pollguard::scan::{Outcome, analyze_source, pool};
use pollguard_analysis::{Config, Options};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The directories of the registry packages this workspace depends on.
fn downloaded_crates() -> Vec<PathBuf> {
    let Ok(md) = cargo_metadata::MetadataCommand::new()
        .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
        .other_options(vec!["--offline".to_owned()])
        .exec()
    else {
        return Vec::new();
    };
    let mut dirs: Vec<PathBuf> = md
        .packages
        .iter()
        .filter(|p| p.source.as_ref().is_some_and(|s| s.is_crates_io()))
        .filter_map(|p| {
            p.manifest_path
                .parent()
                .map(|d| d.as_std_path().to_path_buf())
        })
        .filter(|d| d.is_dir())
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() => rust_files(&p, out),
            Ok(t) if t.is_file() && p.extension().is_some_and(|x| x == "rs") => out.push(p),
            _ => {}
        }
    }
}

#[test]
fn no_file_of_the_registry_cache_panics_the_analysis() {
    let crates = downloaded_crates();
    let mut per_crate: Vec<Vec<PathBuf>> = crates
        .iter()
        .map(|d| {
            let mut files = Vec::new();
            rust_files(d, &mut files);
            files.sort();
            files
        })
        .collect();
    let mut files = Vec::new();
    let longest = per_crate.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..longest {
        for list in &mut per_crate {
            if let Some(f) = list.get_mut(i) {
                files.push(std::mem::take(f));
            }
        }
    }
    if files.is_empty() {
        eprintln!(
            "note: the registry cache holds no sources of this workspace's dependencies: registry test skipped"
        );
        return;
    }
    let secs: u64 = std::env::var("POLLGUARD_REGISTRY_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(45);
    let budget = if secs == 0 {
        Duration::MAX
    } else {
        Duration::from_secs(secs)
    };
    let started = Instant::now();
    let config = Config::new();
    let results: Vec<(PathBuf, Option<Outcome>)> = pool(0).unwrap().install(|| {
        files
            .par_iter()
            .map(|path| {
                if started.elapsed() > budget {
                    return (path.clone(), None);
                }
                let outcome = match cargo_pollguard::source::read(path) {
                    Ok(text) => {
                        let options = Options::new(&config);
                        analyze_source(&text, &options)
                    }
                    Err(r) => Outcome::Refused(r),
                };
                (path.clone(), Some(outcome))
            })
            .collect()
    });
    let done = results.iter().filter(|(_, o)| o.is_some()).count();
    let parsed = results
        .iter()
        .filter(|(_, o)| matches!(o, Some(Outcome::Analysed(_))))
        .count();
    let panics: Vec<String> = results
        .iter()
        .filter_map(|(p, o)| match o {
            Some(Outcome::Panicked(m)) => Some(format!("{}: {m}", p.display())),
            _ => None,
        })
        .collect();
    eprintln!(
        "note: analysed {done} of {} files of {} registry crates ({parsed} parsed) in {:.1} s",
        files.len(),
        crates.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        panics.is_empty(),
        "the analysis panicked on:\n{}",
        panics.join("\n")
    );
}
