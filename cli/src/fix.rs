//! Machine-applicable fixes: where the async replacement of a blocking call
//! is certain and local, the finding carries it, `--message-format json`
//! offers it as a rustc-style suggestion and `--fix` applies it.
//!
//! A fix is offered only when all of these hold, so that the result still
//! compiles and behaves the same:
//! - the callee resolved to a std fn with a Tokio twin of the same
//!   signature and result (`std::thread::sleep`, and the `std::fs` fns that
//!   `tokio::fs` mirrors, not `read_dir` or `File`, whose types differ);
//! - the call is a plain fn call directly in an async fn or async block,
//!   where `.await` is allowed: not in a closure, not in a sync fn such as a
//!   hand-written `poll`;
//! - nothing before it in that fn or block looks like a lock guard, a
//!   `RefCell` borrow or an `Rc` (`.lock(`, `.borrow(`, `Rc::`): held across
//!   the new `.await`, it would make the future `!Send`, and `tokio::spawn`
//!   of it would no longer compile;
//! - the package depends on `tokio` under that name with the needed feature
//!   (`time` or `fs`, or `full`), in `[dependencies]`, or in
//!   `[dev-dependencies]` for tests, examples and benches.

use crate::context::Located;
use crate::diag::{Context, Fix};
use crate::discover::Discovered;
use crate::scan::ScanResult;
use foldhash::{HashMap, HashMapExt};
use pollguard_analysis::Confidence;
use std::collections::BTreeMap;
use std::path::Path;

/// The std fns with a Tokio twin: (std path, Tokio path, Tokio feature).
const TWINS: &[(&str, &str, &str)] = &[
    ("std::thread::sleep", "tokio::time::sleep", "time"),
    ("std::fs::canonicalize", "tokio::fs::canonicalize", "fs"),
    ("std::fs::copy", "tokio::fs::copy", "fs"),
    ("std::fs::create_dir", "tokio::fs::create_dir", "fs"),
    ("std::fs::create_dir_all", "tokio::fs::create_dir_all", "fs"),
    ("std::fs::hard_link", "tokio::fs::hard_link", "fs"),
    ("std::fs::metadata", "tokio::fs::metadata", "fs"),
    ("std::fs::read", "tokio::fs::read", "fs"),
    ("std::fs::read_link", "tokio::fs::read_link", "fs"),
    ("std::fs::read_to_string", "tokio::fs::read_to_string", "fs"),
    ("std::fs::remove_dir", "tokio::fs::remove_dir", "fs"),
    ("std::fs::remove_dir_all", "tokio::fs::remove_dir_all", "fs"),
    ("std::fs::remove_file", "tokio::fs::remove_file", "fs"),
    ("std::fs::rename", "tokio::fs::rename", "fs"),
    (
        "std::fs::set_permissions",
        "tokio::fs::set_permissions",
        "fs",
    ),
    (
        "std::fs::symlink_metadata",
        "tokio::fs::symlink_metadata",
        "fs",
    ),
    ("std::fs::write", "tokio::fs::write", "fs"),
];

/// The Tokio features a package enables, for normal and for dev builds.
#[derive(Clone, Debug, Default)]
struct TokioFeatures {
    normal: Option<Vec<String>>,
    dev: Option<Vec<String>>,
}

impl TokioFeatures {
    fn has(&self, feature: &str, dev: bool) -> bool {
        let has = |f: &Option<Vec<String>>| {
            f.as_ref()
                .is_some_and(|f| f.iter().any(|x| x == feature || x == "full"))
        };
        has(&self.normal) || (dev && has(&self.dev))
    }
}

fn read_toml(path: &Path) -> Option<toml::Table> {
    std::fs::read_to_string(path).ok()?.parse().ok()
}

/// The features of the `tokio` entry of one dependency table, following
/// `workspace = true` to the workspace's `[workspace.dependencies]`.
fn features_in(deps: Option<&toml::Value>, workspace: Option<&toml::Table>) -> Option<Vec<String>> {
    let entry = deps?.get("tokio")?;
    let list = |v: Option<&toml::Value>| -> Vec<String> {
        v.and_then(|f| f.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let table = entry.as_table();
    // A renamed package (`tokio = { package = "other" }`) is not Tokio.
    if table
        .and_then(|t| t.get("package"))
        .is_some_and(|p| p.as_str() != Some("tokio"))
    {
        return None;
    }
    let mut features = list(table.and_then(|t| t.get("features")));
    if table
        .and_then(|t| t.get("workspace"))
        .and_then(|w| w.as_bool())
        == Some(true)
    {
        let inherited = workspace?
            .get("workspace")?
            .get("dependencies")?
            .get("tokio")?;
        features.extend(list(inherited.as_table().and_then(|t| t.get("features"))));
    }
    Some(features)
}

fn tokio_features(manifest: &Path, workspace: Option<&toml::Table>) -> TokioFeatures {
    let Some(doc) = read_toml(manifest) else {
        return TokioFeatures::default();
    };
    TokioFeatures {
        normal: features_in(doc.get("dependencies"), workspace),
        dev: features_in(doc.get("dev-dependencies"), workspace),
    }
}

/// Sets `extra.fix` of every finding that has a certain, local fix.
pub fn attach(discovered: &Discovered, result: &mut ScanResult, located: &[Located]) {
    let workspace = read_toml(&discovered.base.join("Cargo.toml"));
    let mut features: HashMap<usize, TokioFeatures> = HashMap::new();
    for (i, d) in result.diags.iter_mut().enumerate() {
        let (Some(_), Confidence::Certain, Some(call)) = (d.kind.finding(), d.confidence, &d.call)
        else {
            continue;
        };
        let Some(&(_, tokio_path, feature)) = TWINS.iter().find(|(std, _, _)| std == call) else {
            continue;
        };
        let Some((callee_end, call_end)) = located.get(i).and_then(|l| l.direct_call) else {
            continue;
        };
        let Some(file) = discovered.files.get(d.file) else {
            continue;
        };
        let package = &discovered.packages[file.package];
        let Some(manifest) = &package.manifest else {
            continue;
        };
        let dev = matches!(
            d.extra.context,
            Context::Test | Context::Example | Context::Bench
        );
        let enabled = features
            .entry(file.package)
            .or_insert_with(|| tokio_features(manifest, workspace.as_ref()))
            .has(feature, dev);
        if !enabled {
            continue;
        }
        let text = result.files[d.file].text.as_deref().unwrap_or("");
        let args = crate::context::slice(text, callee_end, call_end);
        d.extra.fix = Some(Fix {
            start: d.start,
            end: call_end,
            replacement: format!("{tokio_path}{args}.await"),
        });
    }
}

/// What `--fix` may touch.
#[derive(Clone, Copy, Debug, Default)]
pub struct Guard {
    /// Fix even with uncommitted changes.
    pub allow_dirty: bool,
    /// Fix outside a git repository.
    pub allow_no_vcs: bool,
}

/// What `--fix` did.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fixed {
    /// Calls replaced.
    pub fixes: usize,
    /// Files written.
    pub files: usize,
}

/// Refuses to edit files git could not give back, as `cargo fix` does.
fn check_vcs(root: &Path, guard: &Guard) -> Result<(), String> {
    if guard.allow_dirty {
        return Ok(());
    }
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all", "--", "."])
        .current_dir(root)
        .output();
    match status {
        Ok(out) if out.status.success() => {
            let dirty: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| format!("  {}", l.get(3..).unwrap_or(l)))
                .collect();
            if dirty.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "the working directory of `{}` has uncommitted changes, and `--fix` edits files in place:\n{}\ncommit or stash them first, or pass `--allow-dirty`",
                    root.display(),
                    dirty.join("\n")
                ))
            }
        }
        _ if guard.allow_no_vcs => Ok(()),
        _ => Err(format!(
            "no git repository holds `{}`, so `--fix` could not be undone: put it under git, or pass `--allow-no-vcs`",
            root.display()
        )),
    }
}

/// Applies every fix of `result` to the files on disk.
pub fn apply_all(
    discovered: &Discovered,
    result: &ScanResult,
    guard: &Guard,
) -> Result<Fixed, String> {
    let mut by_file: BTreeMap<usize, Vec<&Fix>> = BTreeMap::new();
    for d in &result.diags {
        if let Some(f) = &d.extra.fix {
            by_file.entry(d.file).or_default().push(f);
        }
    }
    let mut fixed = Fixed::default();
    if by_file.is_empty() {
        return Ok(fixed);
    }
    check_vcs(&discovered.base, guard)?;
    for (file, mut fixes) in by_file {
        let Some(source) = discovered.files.get(file) else {
            continue;
        };
        let Some(scanned) = result.files[file].text.as_deref() else {
            continue;
        };
        // A file changed since it was scanned keeps its text.
        if std::fs::read_to_string(&source.path).ok().as_deref() != Some(scanned) {
            continue;
        }
        fixes.sort_by_key(|f| std::cmp::Reverse(f.start));
        let mut text = scanned.to_owned();
        let mut last = usize::MAX;
        let mut n = 0;
        for f in fixes {
            let a = crate::output::byte_offset(scanned, f.start);
            let b = crate::output::byte_offset(scanned, f.end);
            // Overlapping fixes (a call inside another's arguments) wait for
            // the next run.
            if b > last || a > b {
                continue;
            }
            text.replace_range(a..b, &f.replacement);
            last = a;
            n += 1;
        }
        std::fs::write(&source.path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", source.path.display()))?;
        fixed.fixes += n;
        fixed.files += 1;
    }
    Ok(fixed)
}
