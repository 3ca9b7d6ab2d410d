//! Names this build of the engine for the dependency cache: results derived
//! from a dependency are reused only by a pollguard that would derive the
//! same ones. A hash of the CLI's sources, and of the analysis crate's when
//! it sits next to them (a workspace checkout, where sources change without
//! a new version); a published build adds the versions in `depscan`.
//! Without dependencies, FNV-1a: stable across builds and toolchains.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let mut all = Vec::new();
    for dir in ["src", "../analysis/src"] {
        // A path that does not exist would rerun this script on every build.
        if Path::new(dir).is_dir() {
            println!("cargo:rerun-if-changed={dir}");
            files(Path::new(dir), &mut all);
        }
    }
    all.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in &all {
        feed(path.to_string_lossy().as_bytes());
        feed(&std::fs::read(path).unwrap_or_default());
    }
    println!("cargo:rustc-env=POLLGUARD_ENGINE={h:016x}");
}
