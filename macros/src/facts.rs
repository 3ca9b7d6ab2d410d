//! The facts file `cargo pollguard --deps --write-facts` leaves for the
//! attribute: which calls into dependencies block (see
//! `pollguard_analysis::facts`). Found once per compilation of a crate.

use pollguard_analysis::facts::{self, DependencyFact};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The facts file found for the crate being compiled, and what it says.
pub(crate) struct Found {
    /// Where it is: the expansion includes it, so cargo rebuilds when it changes.
    pub(crate) path: PathBuf,
    /// Its facts, by path.
    pub(crate) facts: HashMap<String, DependencyFact>,
}

/// The facts for this compilation: `Ok(None)` when there is no file, an
/// error naming the file and line when it cannot be used.
pub(crate) fn load() -> &'static Result<Option<Found>, String> {
    static FOUND: OnceLock<Result<Option<Found>, String>> = OnceLock::new();
    FOUND.get_or_init(|| {
        let explicit = std::env::var_os("POLLGUARD_FACTS").filter(|v| !v.is_empty());
        let path = match explicit {
            Some(p) => Some(PathBuf::from(p)),
            None => std::env::var_os("CARGO_MANIFEST_DIR").and_then(|dir| find(Path::new(&dir))),
        };
        let Some(path) = path else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let list = facts::parse(&text).map_err(|e| format!("`{}`, {e}", path.display()))?;
        let facts = list.into_iter().map(|f| (f.path.clone(), f)).collect();
        // An absolute path, so `include_bytes!` finds it from any file.
        let path = path.canonicalize().unwrap_or(path);
        Ok(Some(Found { path, facts }))
    })
}

/// The facts file in `dir` or the nearest parent that has one, up to the
/// workspace root (the first directory with a `Cargo.lock`), so a stray
/// file above the project is never read.
fn find(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        let candidate = d.join(facts::FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join("Cargo.lock").is_file() {
            return None;
        }
    }
    None
}
