//! Recall and precision over labeled multi-file projects, measured the way a
//! user runs pollguard: `cargo pollguard --format json <project>`.
//!
//! Lines carry labels in the style of rustc's UI tests (`//~ fs`, `//~
//! miss(fs)`, `//~ fp(fs)`, `//~ ok(fs)`; see `analysis/tests/common`). A
//! finding reached through the crate's own sync fns counts in the category
//! of the blocking call at the end of its chain, which is what a reader of
//! the code would label. Locks are denied, so they are measured too.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[path = "../../analysis/tests/common/labels.rs"]
mod labels;
use labels::{Counts, Label, labels, row};

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// What the CLI reports for `project`: (file relative to the project, line)
/// -> categories.
fn reported(project: &Path, mode: Mode) -> BTreeMap<(PathBuf, usize), Vec<String>> {
    let mut args = vec!["--format", "json", "--deny", "lock"];
    args.extend_from_slice(match mode {
        Mode::Paths => &["."],
        Mode::Workspace => &["--deps", "--offline", "--quiet"],
        Mode::NoDeps => &["--no-deps", "--quiet"],
        Mode::StdCatalog => &["--deps", "--offline", "--quiet", "--std-catalog-only"],
    });
    let out = Command::cargo_bin("cargo-pollguard")
        .unwrap()
        .current_dir(project)
        // The dependency cache stays in the build directory, not the user's.
        .env(
            "POLLGUARD_CACHE_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("pollguard-cache"),
        )
        .args(&args)
        .output()
        .unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{}: exit {code:?}: {}",
        project.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut map: BTreeMap<(PathBuf, usize), Vec<String>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let root = v["chain"]
            .as_array()
            .and_then(|c| c.last())
            .and_then(|s| s["category"].as_str());
        let category = root.or(v["category"].as_str()).unwrap().to_owned();
        let file = PathBuf::from(v["file"].as_str().unwrap());
        let file = file.strip_prefix(".").unwrap_or(&file).to_path_buf();
        map.entry((file, v["line"].as_u64().unwrap() as usize))
            .or_default()
            .push(category);
    }
    map
}

/// How the CLI is run on a project.
#[derive(Clone, Copy)]
enum Mode {
    /// On the directory as paths (no dependency is read).
    Paths,
    /// As a user runs it in a workspace: dependencies read from the
    /// registry cache (`--offline`).
    Workspace,
    /// In the workspace, with `--no-deps`: the catalog alone.
    NoDeps,
    /// Dependencies read, with only the catalog's entries for the standard
    /// library and the runtimes: what reading the libraries finds alone.
    StdCatalog,
}

/// Measures every project directory under `set` (or `set` itself when it
/// holds a `Cargo.toml`), prints the table, and returns the mismatches.
fn measure(set: &Path) -> (String, Vec<String>) {
    measure_in(set, Mode::Paths)
}

fn measure_in(set: &Path, mode: Mode) -> (String, Vec<String>) {
    let (table, mismatches, _) = score_in(set, mode);
    (table, mismatches)
}

/// What a run found against the labels: blocking labels, those not
/// reported in their category, and reports no label asked for.
#[derive(Clone, Copy, Debug, Default)]
struct Score {
    labeled: usize,
    missed: usize,
    false_reports: usize,
}

impl Score {
    fn recall(&self) -> f64 {
        (self.labeled - self.missed) as f64 / self.labeled.max(1) as f64
    }
    fn precision(&self) -> f64 {
        let found = (self.labeled - self.missed) as f64;
        found / (found + self.false_reports as f64).max(1.0)
    }
}

fn score_in(set: &Path, mode: Mode) -> (String, Vec<String>, Score) {
    let mut score = Score::default();
    let projects: Vec<PathBuf> = if set.join("Cargo.toml").exists() {
        vec![set.to_path_buf()]
    } else {
        let mut p: Vec<PathBuf> = std::fs::read_dir(set)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("Cargo.toml").exists())
            .collect();
        p.sort();
        p
    };
    assert!(!projects.is_empty(), "no projects under {}", set.display());
    let mut per_cat: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for project in &projects {
        let mut reported = reported(project, mode);
        let mut files = Vec::new();
        rs_files(project, &mut files);
        for path in files {
            let rel = path.strip_prefix(project).unwrap().to_path_buf();
            let text = std::fs::read_to_string(&path).unwrap();
            for (idx, line) in text.lines().enumerate() {
                let mut got = reported.remove(&(rel.clone(), idx + 1)).unwrap_or_default();
                got.sort();
                let labels = labels(line);
                let mut want: Vec<String> = labels
                    .iter()
                    .filter_map(|l| match l {
                        Label::Hit(c) | Label::Fp(c) => Some(c.clone()),
                        _ => None,
                    })
                    .collect();
                want.sort();
                score.labeled += labels
                    .iter()
                    .filter(|l| matches!(l, Label::Hit(_) | Label::Miss(_)))
                    .count();
                {
                    // Multiset differences, per category.
                    let mut rest = got.clone();
                    for w in labels.iter().filter_map(|l| match l {
                        Label::Hit(c) | Label::Miss(c) => Some(c),
                        _ => None,
                    }) {
                        match rest.iter().position(|g| g == w) {
                            Some(i) => {
                                rest.remove(i);
                            }
                            None => score.missed += 1,
                        }
                    }
                    score.false_reports += rest.len();
                }
                if got != want {
                    mismatches.push(format!(
                        "{}/{}:{}: labeled {want:?}, reported {got:?}: {}",
                        project.file_name().unwrap().to_string_lossy(),
                        rel.display(),
                        idx + 1,
                        line.trim()
                    ));
                }
                for l in labels {
                    let (cat, f): (String, fn(&mut Counts)) = match l {
                        Label::Hit(c) => (c, |c| c.found += 1),
                        Label::Miss(c) => (c, |c| c.missed += 1),
                        Label::Fp(c) => (c, |c| c.false_pos += 1),
                        Label::Ok(c) => (c, |c| c.traps += 1),
                    };
                    f(per_cat.entry(cat).or_default());
                }
            }
        }
        for ((file, line), cats) in reported {
            mismatches.push(format!(
                "{}/{}:{line}: reported {cats:?} on a line outside the labeled files",
                project.display(),
                file.display()
            ));
        }
    }
    let mut table = String::from(
        "| category | blocking calls | found | missed | false positives | traps passed | recall | precision |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut total = Counts::default();
    for (cat, c) in &per_cat {
        row(&mut table, cat, c);
        total.found += c.found;
        total.missed += c.missed;
        total.false_pos += c.false_pos;
        total.traps += c.traps;
    }
    row(&mut table, "**all**", &total);
    (table, mismatches, score)
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The cases, each needing another file of the crate: a blocking
/// client through `use super::*`, methods of the crate's own types in other
/// modules, an associated fn, a `#[path]` module, nested helpers of one name
/// in two fns, `block_in_place` driving a future, a closure made by a block,
/// `stream!` bodies and an in-memory database.
#[test]
fn crate_model_cases() {
    let (table, mismatches) = measure(&tests_dir().join("fixtures/crate-model"));
    println!("{table}");
    assert!(
        mismatches.is_empty(),
        "labels and findings differ:\n{}",
        mismatches.join("\n")
    );
}

/// The fourth blind set: nine multi-file projects written and labeled by an
/// author who read neither the engine nor the other sets (see
/// `tests/heldout4/LABELS.md`), 74% of whose labels need another file.
///
/// History, so the numbers are read right: measured once, blind, at commit
/// bac6797 (the engine of e45c124, with the crate model): 196 of 213
/// blocking calls found (92% recall) and 8 reports that do not match a label
/// (96% precision, counting a category mismatch as one miss and one false
/// positive). By the stricter reading of a false positive (the call does not
/// block, or does not run on an executor thread), 7 of those 8 are real
/// blocking calls reported under a milder category (a lock taken before a
/// database call the engine did not type; a retry helper's sleep), and one is
/// false (an unbounded std `Sender::send`): 203 of 204 reports, 99.5%. The
/// misses were then recorded as `miss(..)`/`fp(..)` labels; fixing them makes
/// this a tuning set, and the next honest number needs a new blind set.
#[test]
fn heldout4_recall_and_precision() {
    let (table, mismatches) = measure(&tests_dir().join("heldout4"));
    println!("{table}");
    assert!(
        mismatches.is_empty(),
        "labels and findings differ:\n{}",
        mismatches.join("\n")
    );
}

/// The fifth blind set: nine tokio applications over 46 third-party sync
/// crates the catalog does not list (see `tests/heldout5/LABELS.md` and the
/// evidence for each label in `EVIDENCE.md`), for reading dependencies as
/// source. Needs their sources in Cargo's registry cache: `.ci/run` fetches
/// them (`cargo fetch` in each project). Prints the tables with the
/// dependencies read and with `--no-deps`.
///
/// History: measured once, blind, at commit 500b5b6 (the first engine that
/// reads dependencies, with generic I/O and the native-library table), a
/// category mismatch counting as one miss and one false positive:
/// with `--no-deps`, 43 of 239 blocking calls found (18% recall) and 6 false
/// reports (88% precision); with dependencies read, 88 found (37% recall)
/// and 31 false reports (74% precision). One project's output had been
/// glanced at before (ledger_etl, while wiring the CLI). From here on it is
/// a tuning set. After tuning: 43% / 78%. With dependencies followed only
/// along their calls made on every path (one-time init, error paths, opt-in
/// flags and fallbacks left out): 42% / 80%, the one label lost being
/// `dotenvy::var`, which reads `.env` once per process under `call_once`.
/// With type aliases of dependencies followed (`suppaftp::FtpStream` is an
/// alias of a generic type, `FtpResult<T>` of a `Result`), guards and enum
/// variants typed, and a crate's own `Read`/`Write` impls reached from
/// `read_line`/`write_all`: 49% / 83%. With a root `extern crate x as y;`
/// naming `x` in every module (ssh2's `raw::` calls into libssh2): 51% / 84%.
/// With a database engine's I/O reported as `db` and an HTTP client's as
/// `http_blocking`, from their crates.io categories: 52% / 85%. With a
/// `-sys` crate that omits `links` known by its name, `:memory:` databases
/// opening no file, and methods found through `Deref`: 52% / 85%. With a
/// `use` building on another `use`'s name (heed's `ffi::` reaches lmdb) and
/// `lmdb-master-sys` known as lmdb: 54% / 86%.
#[test]
fn heldout5_dependencies_read_as_source() {
    let (nd, deps) = measure_with_dependencies("heldout5");
    assert_eq!(deps.labeled, 239, "the set's blocking labels");
    // Floors at the figures measured when the set became a tuning set: a
    // change that loses what reading dependencies found fails here.
    assert!(
        nd.missed > deps.missed + 40,
        "reading dependencies finds more: {nd:?} vs {deps:?}"
    );
    assert!(deps.recall() >= RECALL_FLOOR, "recall fell: {deps:?}");
    assert!(
        deps.precision() >= PRECISION_FLOOR,
        "precision fell: {deps:?}"
    );
}

/// `tests/heldout6/`: ten tokio applications over 36 sync crates other than
/// heldout5's (see its `LABELS.md` and `EVIDENCE.md`), written and labeled
/// blind by a session that had read neither the engine nor the other sets.
///
/// History: measured once, blind, at commit f796c32 (before anything was
/// tuned on it), a category mismatch counting as one miss and one false
/// positive: with `--no-deps`, 80 of 206 blocking calls found (39% recall)
/// and 4 false reports (95% precision); with dependencies read, 92 found
/// (45% recall) and 30 false reports (75% precision). From here on it is a
/// tuning set. After the crates.io categories name a database engine's and
/// an HTTP client's I/O: 51% / 87%. With `sqlite3-sys` known by its name,
/// `:memory:` databases and `Deref`: 57% / 84% (the six new false reports
/// are methods of a workspace type over an in-memory database, which the
/// value, not the type, decides). With a `RefCell`'s `borrow_mut()` typed
/// as a guard: 59% / 85%. With a fn named as a combinator's argument
/// (`.and_then(load_path)`) walked as a call: 60% / 85%. With `cfg_if!`
/// read as the branch the host takes (sysinfo's platform modules): 64% /
/// 85%.
#[test]
fn heldout6_dependencies_read_as_source() {
    let (nd, deps) = measure_with_dependencies("heldout6");
    assert_eq!(deps.labeled, 206, "the set's blocking labels");
    assert!(deps.recall() >= H6_RECALL_FLOOR, "recall fell: {deps:?}");
    assert!(
        deps.precision() >= H6_PRECISION_FLOOR,
        "precision fell: {deps:?}"
    );
    assert!(nd.missed >= deps.missed, "{nd:?} vs {deps:?}");
}

/// heldout6 at the last tuning (see its history).
const H6_RECALL_FLOOR: f64 = 0.63;
const H6_PRECISION_FLOOR: f64 = 0.84;

/// Fetches a set's dependencies (crates.io is reachable; the sources must
/// be in the registry cache), then scores it with `--no-deps` and with
/// dependencies read, and prints both.
fn measure_with_dependencies(name: &str) -> (Score, Score) {
    let set = tests_dir().join(name);
    for e in std::fs::read_dir(&set).unwrap() {
        let dir = e.unwrap().path();
        if dir.join("Cargo.toml").exists() {
            let status = std::process::Command::new(env!("CARGO"))
                .args(["fetch", "-q"])
                .current_dir(&dir)
                .status()
                .unwrap();
            assert!(status.success(), "cargo fetch in {}", dir.display());
        }
    }
    let (_, nd_mismatches, nd) = score_in(&set, Mode::NoDeps);
    let (_, mismatches, deps) = score_in(&set, Mode::Workspace);
    let (_, _, alone) = score_in(&set, Mode::StdCatalog);
    println!(
        "{name} --no-deps (the catalog alone): {nd:?}\n{}",
        nd_mismatches.join("\n")
    );
    println!(
        "{name} dependencies read: {deps:?}\n{}",
        mismatches.join("\n")
    );
    println!(
        "{name}: recall {:.0}% -> {:.0}%, precision {:.0}% -> {:.0}%",
        nd.recall() * 100.0,
        deps.recall() * 100.0,
        nd.precision() * 100.0,
        deps.precision() * 100.0
    );
    println!(
        "{name}, dependencies read with only the catalog's std and runtime entries: \
         {alone:?}: recall {:.0}%, precision {:.0}%",
        alone.recall() * 100.0,
        alone.precision() * 100.0
    );
    (nd, deps)
}

/// heldout5 with dependencies read, at the last tuning (see the history above).
const RECALL_FLOOR: f64 = 0.53;
const PRECISION_FLOOR: f64 = 0.85;
