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

/// `path` with symbolic links and `..` resolved, so that one file has one
/// name however a target or a report spells it.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The files whose labels count for `project`, canonical: the `.rs` files
/// under its directory and the sources its manifest names for its targets
/// (`[lib] path`, `[[bin]] path`, ..), which may lie outside it (heldout3's
/// projects point at the blind set's files), each once.
fn labeled_files(project: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    rs_files(project, &mut files);
    let manifest: toml::Table = std::fs::read_to_string(project.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let one = |t: &toml::Value| t.get("path").and_then(|p| p.as_str()).map(PathBuf::from);
    for (key, value) in &manifest {
        match (key.as_str(), value) {
            ("lib", t) => files.extend(one(t)),
            ("bin" | "example" | "test" | "bench", toml::Value::Array(ts)) => {
                files.extend(ts.iter().filter_map(one))
            }
            _ => {}
        }
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        let f = canonical(&project.join(f));
        assert!(
            f.is_file(),
            "{}: no file {}",
            project.display(),
            f.display()
        );
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

/// What the CLI reports for `project`: (file, made canonical, line) ->
/// categories.
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
        let file = canonical(&project.join(v["file"].as_str().unwrap()));
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
    let run = score_in(set, mode);
    (run.table, run.mismatches)
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

/// A run over a set: the per-category table of what it found, the lines
/// where labels and reports differ, the score, the blocking labels not
/// reported in their category (once per missed label), the reports no label
/// asked for (`file:line` -> categories) and the number of traps (`ok(..)`
/// labels).
struct Run {
    table: String,
    mismatches: Vec<String>,
    score: Score,
    missed: Vec<Missed>,
    false_reports: BTreeMap<String, Vec<String>>,
    traps: usize,
}

/// A blocking label a run did not report in its category.
#[derive(Clone, PartialEq)]
struct Missed {
    /// `file:line`.
    at: String,
    category: String,
    line: String,
}

fn score_in(set: &Path, mode: Mode) -> Run {
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
    let repo = canonical(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")));
    let mut per_cat: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut missed = Vec::new();
    let mut false_reports = BTreeMap::new();
    let mut traps = 0;
    for project in &projects {
        let name = project.file_name().unwrap().to_string_lossy();
        let root = canonical(project);
        let mut reported = reported(project, mode);
        let files = labeled_files(project);
        for path in &files {
            // Below the project, from its directory; elsewhere, from the
            // repository's.
            let at = match path.strip_prefix(&root) {
                Ok(rel) => format!("{name}/{}", rel.display()),
                Err(_) => path
                    .strip_prefix(&repo)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
            };
            let text = std::fs::read_to_string(path).unwrap();
            for (idx, line) in text.lines().enumerate() {
                let mut got = reported
                    .remove(&(path.clone(), idx + 1))
                    .unwrap_or_default();
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
                // Multiset differences, per category: the table counts what
                // the run found, so it tells the runs apart when labels
                // and reports differ.
                let mut rest = got.clone();
                for l in &labels {
                    match l {
                        Label::Hit(w) | Label::Miss(w) => {
                            let c = per_cat.entry(w.clone()).or_default();
                            match rest.iter().position(|g| g == w) {
                                Some(i) => {
                                    rest.remove(i);
                                    c.found += 1;
                                }
                                None => {
                                    c.missed += 1;
                                    score.missed += 1;
                                    missed.push(Missed {
                                        at: format!("{at}:{}", idx + 1),
                                        category: w.clone(),
                                        line: line.trim().to_owned(),
                                    });
                                }
                            }
                        }
                        Label::Fp(_) => {}
                        Label::Ok(w) => {
                            traps += 1;
                            if !rest.contains(w) {
                                per_cat.entry(w.clone()).or_default().traps += 1;
                            }
                        }
                    }
                }
                score.false_reports += rest.len();
                for r in &rest {
                    per_cat.entry(r.clone()).or_default().false_pos += 1;
                }
                if !rest.is_empty() {
                    false_reports.insert(format!("{at}:{}", idx + 1), rest);
                }
                if got != want {
                    mismatches.push(format!(
                        "{at}:{}: labeled {want:?}, reported {got:?}: {}",
                        idx + 1,
                        line.trim()
                    ));
                }
            }
        }
        for ((file, line), cats) in reported {
            // A target outside the project brings the files beside it into
            // the walk (heldout3's sibling modules): they are measured in
            // their own projects.
            if !file.starts_with(&root)
                && files
                    .iter()
                    .any(|f| !f.starts_with(&root) && f.parent() == file.parent())
            {
                continue;
            }
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
    Run {
        table,
        mismatches,
        score,
        missed,
        false_reports,
        traps,
    }
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
/// `lmdb-master-sys` known as lmdb: 54% / 86%. With a `block_on` inside a
/// database or HTTP client reported as its domain: 56% / 89%. With console's
/// terminal reads known (dialoguer's prompts followed down to them) and
/// libc's and rustix's path system calls as roots: 63% / 90%. With a loop
/// or a consumer over an own or a dependency's iterator calling its `next`:
/// 64% / 90%. With a caller's reader followed into a crate's own wrapper
/// types, and waits inside a network client (a `block_on`, a channel to its
/// I/O thread) reported as network I/O: 70% / 93%.
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
    assert_floors(&deps, RECALL_FLOOR, PRECISION_FLOOR);
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
/// 85%. After the next session's tunings: 66% / 86%. With non-blocking
/// flags (`LOCK_NB`) read at the call and a loop or a consumer over an own
/// or a dependency's iterator calling its `next`: 69% / 88%. With Rayon's
/// waits known: 70% / 88%. With values followed through collections and
/// an async lock's guard, a dependency's match on a setting with an arm
/// that does nothing read as the caller's choice (pickledb's dump policy),
/// and a one-time initialisation not making the fn around it block: 151
/// found (73%), 16 false reports (90%).
#[test]
fn heldout6_dependencies_read_as_source() {
    tuning_set("heldout6", 206, H6_RECALL_FLOOR, H6_PRECISION_FLOOR);
}

/// `tests/heldout7/`: eight tokio applications over 55 sync crates that no
/// other set uses (see its `LABELS.md` and `EVIDENCE.md`), written and
/// labeled blind by a session that had read neither the engine nor the
/// other sets.
///
/// History: measured once, blind, at commit 3172a67, a category mismatch
/// counting as one miss and one false positive: with `--no-deps`, 64 of 200
/// blocking calls found (32% recall) and 4 false reports (94% precision);
/// with dependencies read, 129 found (64% recall) and 15 false reports (90%
/// precision); with only the catalog's std and runtime entries, 128 found
/// (64%) and 15 false reports (90%): what it finds in these crates comes
/// from reading them. From here on it is a tuning set. With a trait's
/// provided method followed through its own body first and Rust 2015
/// crates' `use` paths read from their root: 134 found (67%), 14 false
/// reports (91%). With the set's `stdin` labels read as the engine's
/// `stdio` (the same category under another name: 4 labels and 2 traps),
/// libc's and rustix's path system calls as roots and console's terminal
/// reads known: 139 found (70%), 13 false reports (91%); `--no-deps` 65
/// found, 3 false reports. With a DNS client's socket I/O reported as a
/// lookup (crates with the keyword `dns`): 144 found (72%), 8 false
/// reports (95%). With a loop or a consumer (`collect`) over an own or a
/// dependency's iterator calling its `next`: 147 found (74%), 8 false
/// reports (95%). With values followed through collections (see heldout6):
/// 150 found (75%), 7 false reports (96%). With dependencies' own
/// `macro_rules!` expanded among impl and trait items: 151 found (76%), 8
/// false reports (95%). Expanded at module level too, it read 10 false
/// reports: umya-spreadsheet's worksheets, read lazily from the workbook's
/// file when there is one, were then reached from `sheet_mut` and
/// `read_reader` on bytes, which have none.
#[test]
fn heldout7_dependencies_read_as_source() {
    tuning_set("heldout7", 200, H7_RECALL_FLOOR, H7_PRECISION_FLOOR);
}

/// `tests/heldout8/`: eight tokio applications (a podcast tagger, a trail
/// ingest service, a message-queue bridge, a system monitor, a CI worker,
/// an ops console, an office converter, a ledger store) over 51 sync crates
/// that no other set uses (see its `LABELS.md` and `EVIDENCE.md`), written
/// and labeled blind by a session that had read neither the engine nor the
/// other sets.
///
/// History: measured once, blind, at commit 0466a98 (the set added in the
/// next commit, nothing tuned on it), a category mismatch counting as one
/// miss and one false positive: with `--no-deps`, 68 of 200 blocking calls
/// found (34% recall) and 5 false reports (93% precision); with
/// dependencies read, 113 found (56% recall) and 35 false reports (76%
/// precision); with only the catalog's std and runtime entries, 108 found
/// (54%) and 36 false reports (75%). From here on it is a tuning set. With
/// text parameters (`target: &str`) given an address by the caller, and a
/// fn that a module of its name shadows found through globs (psutil's
/// `mod uptime; pub use uptime::*;`): 118 found (59%), 34 false reports
/// (78%). With a caller's reader followed into a crate's own wrapper types,
/// a module's fn preferred over a macro import of its name, and waits
/// inside a network client (amiquip's channel to its I/O thread) reported
/// as network I/O: 126 found (63%), 29 false reports (81%).
#[test]
fn heldout8_dependencies_read_as_source() {
    tuning_set("heldout8", 200, H8_RECALL_FLOOR, H8_PRECISION_FLOOR);
}

/// `tests/heldout9/`: eight tokio applications (a PLC gateway, a document
/// indexer, a job runner, a network prober, a desktop agent, a chat-ops
/// bot, a media catalog, a config-sync agent) over 37 sync crates that no
/// other set uses (see its `LABELS.md` and `EVIDENCE.md`), written and
/// labeled blind by a session that had read neither the engine nor the
/// other sets.
///
/// History: measured once, blind, at commit 597e519 (the set added in the
/// next commit, nothing tuned on it), a category mismatch counting as one
/// miss and one false positive: with `--no-deps`, 101 of 252 blocking calls
/// found (40% recall) and 14 false reports (88% precision); with
/// dependencies read, 151 found (60% recall) and 56 false reports (73%
/// precision); with only the catalog's std and runtime entries, 146 found
/// (58%) and 58 false reports (72%). 45 of the 56 false reports were the
/// right line under another category: sync clients over async ones
/// (tokio-modbus, paho-mqtt, zbus) reported as `block_on` and zookeeper's
/// wait on its I/O thread as `channel`, where the labels say `net`. From
/// here on it is a tuning set. With waits inside a network client reported
/// as network I/O: 180 found (71%), 27 false reports (87%). With Rayon's
/// waits (`join`, `install`, a parallel iterator run to its end) and
/// librdkafka's known: 188 found (75%), 27 false reports (87%). At
/// 40b1ad7, with ODBC's calls known as database waits and a wait loop's
/// early return not making its wait conditional (rexpect's prompts found,
/// as `sleep` where the labels say `process`): 191 found (76%), 28 false
/// reports (87%). With a trait's required methods typed by their
/// declaration, supertraits' methods followed and a provided method's
/// return typed (odbc-api's statements, cursors and rows): 196 found (78%),
/// 26 false reports (88%). With values followed through collections (an
/// element of a `HashMap`, a loop's item, an iterator closure's argument):
/// 196 found, 28 false reports (87%): the two new ones are rexpect's prompt
/// waits reached through a map, real waits reported as the `sleep` they
/// poll with where the labels say `process`. With a closure given the
/// types its fn declares, a Rayon chain's closures offloaded, and a crate
/// that drives another program (rexpect: keywords `pty`, `expect`)
/// reported as waiting for it: 204 found (81%), 21 false reports (91%).
#[test]
fn heldout9_dependencies_read_as_source() {
    tuning_set("heldout9", 252, H9_RECALL_FLOOR, H9_PRECISION_FLOOR);
}

/// heldout9 at the last tuning (see its history).
const H9_RECALL_FLOOR: f64 = 0.80;
const H9_PRECISION_FLOOR: f64 = 0.90;

/// A set read with its dependencies, held at its floors: as many blocking
/// labels as it has, recall and precision at least the figures of its last
/// tuning, and reading dependencies missing no more than the catalog alone.
fn tuning_set(name: &str, labels: usize, recall: f64, precision: f64) {
    let (nd, deps) = measure_with_dependencies(name);
    assert_eq!(deps.labeled, labels, "{name}'s blocking labels");
    assert_floors(&deps, recall, precision);
    assert!(nd.missed >= deps.missed, "{nd:?} vs {deps:?}");
}

/// heldout8 at the last tuning (see its history).
const H8_RECALL_FLOOR: f64 = 0.62;
const H8_PRECISION_FLOOR: f64 = 0.80;

/// heldout7 at the last tuning (see its history).
const H7_RECALL_FLOOR: f64 = 0.75;
const H7_PRECISION_FLOOR: f64 = 0.94;

/// heldout6 at the last tuning (see its history).
const H6_RECALL_FLOOR: f64 = 0.73;
const H6_PRECISION_FLOOR: f64 = 0.90;

/// Fetches the dependencies of every project of a set (crates.io is
/// reachable; `--offline` needs the sources in the registry cache).
fn fetch(set: &Path) {
    for e in std::fs::read_dir(set).unwrap() {
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
}

/// A set scored with `--no-deps`, with dependencies read, and with
/// dependencies read and only the catalog's std and runtime entries.
fn three_modes(set: &Path) -> [Run; 3] {
    fetch(set);
    [Mode::NoDeps, Mode::Workspace, Mode::StdCatalog].map(|mode| score_in(set, mode))
}

/// Fetches a set's dependencies, then scores it with `--no-deps` and with
/// dependencies read, and prints both.
fn measure_with_dependencies(name: &str) -> (Score, Score) {
    let [nd, deps, alone] = three_modes(&tests_dir().join(name));
    let (nd_mismatches, mismatches) = (nd.mismatches, deps.mismatches);
    let (nd, deps, alone) = (nd.score, deps.score, alone.score);
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

/// The engine's third blind set (`analysis/tests/heldout3/`, twelve
/// single-file applications, measured there with the catalog alone), read
/// as Cargo projects with their dependencies: `tests/heldout3_deps/<module>/`
/// holds a manifest and a lock file whose `[[bin]]` is the blind set's file
/// itself (`path = "../../../../analysis/tests/heldout3/<module>.rs"`, not a
/// copy; the CLI walks the folder of a target, so each project reads the
/// other eleven modules too, and their reports are left to their own
/// projects). The labels are the blind set's, never changed here.
///
/// Prints the three runs (with `--no-deps`, with dependencies read, and
/// with dependencies read and only the catalog's std and runtime entries,
/// issue 8's "third-party entries switched off"), then the labels that
/// `--no-deps` misses and whether each other run finds it.
///
/// History: measured at commit bea862b (the same at 4ccf82f), before any
/// tuning on these projects, with the labels as the blind set records them
/// against the catalog alone, a category mismatch counting as one miss and
/// one false report:
/// with `--no-deps`, 99 of 146 blocking calls found (68% recall) and 7 false
/// reports (93% precision), the same 99 as the engine's own test, the 7 being
/// calls of the module's sync helpers that block (`load_hosts(..)`,
/// `render_page(..)`, ..), which the CLI follows and the blind labels,
/// written for one file at a time, leave unlabeled; with dependencies read,
/// 109 found (75%) and 15 false reports (88%); with only the std and runtime
/// entries, 97 found (66%) and 15 false reports (87%): it loses 12 calls the
/// catalog's entries for flume, crossbeam, r2d2, parking_lot, redis and
/// postgres find. The 8 false reports reading adds: postgres's calls as
/// `block_on` (5), ureq's `call()` twice, redis's `get_connection` also as
/// `net`, crossbeam's `recv` also as `sleep`. Of the 47 labels
/// `--no-deps` misses, 10 are found with dependencies read, the same 10 with
/// only the std and runtime entries (csv's `from_path` and `headers`,
/// sled's `open`, rocksdb's `put`, `get`, `merge` and `flush`, reqwest's
/// blocking `json`, notify's `watch`); postgres's four transaction calls are
/// reported as `block_on` (its sync client's runtime), not `db`. The others
/// are std calls through values the engine does not type and sled's tree
/// operations, redis's macro-made `Commands`, pooled rusqlite connections
/// (`Deref` to `M::Connection`), r2d2's `Pool::new`, ureq's `into_json`,
/// zip's `finish`, csv's `read_record` and rocksdb's `DB::open`. Reading
/// each module alone (as `src/main.rs` of its own project) gives the same
/// reports as here, beside its eleven siblings. Takes 45 s in a release
/// build with an empty dependency cache and 13 s with it filled; in a debug
/// build (`cargo test --workspace`), 140 s and 23 s.
///
/// Then a `block_on` inside a database client or an HTTP client (a sync
/// facade over an async one) was reported as that crate's domain, `db` or
/// `http_blocking`, as its file and socket I/O already were. heldout5's
/// mismatches (isahc, ldap3, mongodb) had shown it first, and this set's
/// postgres calls prompted it, so from here the figures with dependencies
/// read are tuning figures: 112 found (77%), 10 false reports (92%); with
/// only the std and runtime entries 102 (70%) and 10 (91%); 14 of the 47
/// third-party misses found in either mode. The `--no-deps` figures stay
/// blind.
///
/// Then dependencies' tuple structs, tuple returns and traits' provided
/// methods were typed and followed, and notify's `watch` came to be
/// reported as what its caller's thread does: it waits on a channel for
/// notify's own thread, which walks the directories (the `fs` write the
/// chain named before was to a non-blocking eventfd). The labels say `fs`,
/// so that call now counts as missed and as reported under another
/// category: 112 found (77%), 11 false reports (91%); with only the std and
/// runtime entries 101 (69%) and 11 (90%); 13 of the 47 found.
#[test]
fn heldout3_dependencies_read_as_source() {
    let set = tests_dir().join("heldout3_deps");
    let [nd, deps, alone] = three_modes(&set);
    for (what, run) in [
        ("--no-deps (the catalog alone)", &nd),
        ("dependencies read", &deps),
        (
            "dependencies read, only the catalog's std and runtime entries",
            &alone,
        ),
    ] {
        let s = run.score;
        println!(
            "heldout3 {what}: {s:?}: recall {:.0}%, precision {:.0}%\n{}\n{}\n",
            s.recall() * 100.0,
            s.precision() * 100.0,
            run.table,
            run.mismatches.join("\n")
        );
    }
    // The labels `--no-deps` misses, and what the other runs report there.
    let outcome = |run: &Run| {
        let mut still = run.missed.clone();
        nd.missed
            .iter()
            .map(|m| match still.iter().position(|x| x == m) {
                Some(i) => {
                    still.remove(i);
                    match run.false_reports.get(&m.at) {
                        Some(cats) => format!("as {}", cats.join("+")),
                        None => "-".to_owned(),
                    }
                }
                None => "found".to_owned(),
            })
            .collect::<Vec<String>>()
    };
    let (by_deps, by_alone) = (outcome(&deps), outcome(&alone));
    println!(
        "heldout3: the {} labels --no-deps misses; with dependencies read | with only the std and runtime entries:",
        nd.missed.len()
    );
    for ((m, d), a) in nd.missed.iter().zip(&by_deps).zip(&by_alone) {
        println!("  {d:<14} | {a:<14} | {}: {}: {}", m.at, m.category, m.line);
    }
    let found = |v: &[String]| v.iter().filter(|o| *o == "found").count();
    let n_alone = found(&by_alone);
    println!(
        "heldout3: of {} --no-deps misses, {} found with dependencies read, {n_alone} with only the std and runtime entries",
        nd.missed.len(),
        found(&by_deps),
    );

    assert_eq!(nd.score.labeled, 146, "the set's blocking labels");
    assert_eq!(nd.traps, 138, "the set's traps (`ok(..)` labels)");
    // Floors at the figures measured (see above).
    assert_floors(&deps.score, H3_RECALL_FLOOR, H3_PRECISION_FLOOR);
    assert_floors(
        &alone.score,
        H3_ALONE_RECALL_FLOOR,
        H3_ALONE_PRECISION_FLOOR,
    );
    assert_floors(
        &nd.score,
        H3_NO_DEPS_RECALL_FLOOR,
        H3_NO_DEPS_PRECISION_FLOOR,
    );
    assert!(
        n_alone >= H3_THIRD_PARTY_FOUND,
        "third-party misses found with the std catalog alone: {n_alone}"
    );
}

/// Fails when a score falls below its floors.
fn assert_floors(score: &Score, recall: f64, precision: f64) {
    assert!(score.recall() >= recall, "recall fell: {score:?}");
    assert!(score.precision() >= precision, "precision fell: {score:?}");
}

/// heldout3 through the CLI at the figures measured (see its history).
const H3_NO_DEPS_RECALL_FLOOR: f64 = 0.67;
const H3_NO_DEPS_PRECISION_FLOOR: f64 = 0.93;
const H3_RECALL_FLOOR: f64 = 0.78;
const H3_PRECISION_FLOOR: f64 = 0.91;
const H3_ALONE_RECALL_FLOOR: f64 = 0.73;
const H3_ALONE_PRECISION_FLOOR: f64 = 0.91;
const H3_THIRD_PARTY_FOUND: usize = 13;

/// heldout5 with dependencies read, at the last tuning (see the history above).
const RECALL_FLOOR: f64 = 0.69;
const PRECISION_FLOOR: f64 = 0.92;
