//! Dependencies read as source: each library the workspace names is read,
//! modelled and walked like the workspace's own code, so the transitive
//! closure follows calls into it down to the standard library's blocking
//! calls. Nothing is built and no build script or proc macro runs.
//!
//! Only crates that code names are read: the workspace members' direct
//! dependencies, then, from each crate read, the dependencies its code
//! mentions. Crates are modelled bottom-up, so a crate's model knows the
//! models of the crates it calls into (their return and field types).

use crate::deps::{Cache, Cfg, DepCrate, DepGraph, Progress, read_crate, read_mentions};
use crate::diag::Pos;
use crate::scan::FileAnalysis;
use pollguard_analysis::model::{CrateModel, FileItems, lower_file};
use pollguard_analysis::{Config, FnSummary, Options, analyze_file_in};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Crates whose blocking calls the catalog lists itself: reading them would
/// only repeat it (the runtime's own offloaders and `block_on`s).
const CATALOGUED: &[&str] = &["tokio", "std", "core", "alloc"];

/// One analysed file of a dependency.
pub(crate) struct DepUnit {
    /// Index of its crate in [`DepGraph::crates`].
    pub krate: usize,
    /// How chains name it: `csv-1.3.1/src/reader.rs`.
    pub display: String,
    /// What the walker found.
    pub analysis: FileAnalysis,
}

/// What reading the dependencies gave.
#[derive(Default)]
pub(crate) struct DepScan {
    /// The model of each crate read, by index in [`DepGraph::crates`].
    pub models: HashMap<usize, Arc<CrateModel>>,
    /// The key each crate read is known by in the transitive closure.
    pub keys: HashMap<usize, String>,
    /// Every file read.
    pub units: Vec<DepUnit>,
    /// Files or crates that could not be read, one line each.
    pub problems: Vec<String>,
    /// Crates read and files read, for the summary line.
    pub crates_read: usize,
    /// Of those, the crates whose results came from the cache.
    pub from_cache: usize,
    /// Source lines read.
    pub lines: usize,
}

impl DepScan {
    /// The models of a workspace package's dependencies, by the names its
    /// code uses for them.
    pub(crate) fn externs_of(
        &self,
        graph: &DepGraph,
        package_id: &str,
    ) -> HashMap<String, Arc<CrateModel>> {
        graph
            .roots
            .get(package_id)
            .into_iter()
            .flatten()
            .filter_map(|(name, i)| Some((name.clone(), Arc::clone(self.models.get(i)?))))
            .collect()
    }
}

/// The crates to read: from the workspace's direct dependencies down
/// through the dependencies each crate's code mentions.
fn needed(
    graph: &DepGraph,
    cfg: &Cfg,
    pool: &rayon::ThreadPool,
    cached: &Stash<'_>,
) -> (HashSet<usize>, Vec<String>) {
    let mut seen: HashSet<usize> = HashSet::new();
    let mut frontier: Vec<usize> = graph
        .roots
        .values()
        .flatten()
        .map(|(_, i)| *i)
        .filter(|&i| !CATALOGUED.contains(&graph.crates[i].lib_name.as_str()))
        .collect();
    let mut problems = Vec::new();
    while !frontier.is_empty() {
        frontier.retain(|i| seen.insert(*i));
        let mentions: Vec<(usize, HashSet<String>, Vec<String>)> = pool.install(|| {
            frontier
                .par_iter()
                .map(|&i| {
                    if let Some(stored) = cached.load(i) {
                        let mentions = stored.mentions.iter().cloned().collect();
                        let errors = stored.errors.clone();
                        cached.keep(i, stored);
                        return (i, mentions, errors);
                    }
                    let src = read_mentions(&graph.crates[i], cfg);
                    let mentions = src.mentions;
                    (i, mentions, src.errors)
                })
                .collect()
        });
        let mut next = Vec::new();
        for (i, mentions, errors) in mentions {
            problems.extend(errors);
            for (name, d) in &graph.crates[i].deps {
                if mentions.contains(name)
                    && !seen.contains(d)
                    && !CATALOGUED.contains(&graph.crates[*d].lib_name.as_str())
                {
                    next.push(*d);
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        frontier = next;
    }
    (seen, problems)
}

/// Reads, models and walks the dependencies the workspace calls into.
pub(crate) fn read(
    graph: &DepGraph,
    cfg: &Cfg,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    cache: Option<&Cache>,
    std_catalog_only: bool,
) -> DepScan {
    let stash = crate::timing::time("deps: entry keys", || Stash {
        cache,
        keys: cache
            .map(|_| entry_keys(graph, cfg, std_catalog_only))
            .unwrap_or_default(),
        kept: Mutex::new(HashMap::new()),
    });
    let keys_done = std::time::Instant::now();
    let (needed, problems) = needed(graph, cfg, pool, &stash);
    crate::timing::add("deps: needed (wall)", keys_done.elapsed());
    let models_started = std::time::Instant::now();
    let mut out = DepScan {
        problems,
        ..DepScan::default()
    };
    // Levels: a crate comes after every crate it depends on, so each level's
    // crates can be modelled in parallel with their dependencies' models ready.
    let mut level: HashMap<usize, usize> = HashMap::new();
    for (i, c) in graph.crates.iter().enumerate() {
        if !needed.contains(&i) {
            continue;
        }
        let l = c
            .deps
            .iter()
            .filter_map(|(_, d)| level.get(d))
            .max()
            .map_or(0, |l| l + 1);
        level.insert(i, l);
    }
    let depth = level.values().max().map_or(0, |l| l + 1);
    let mut config = dep_config();
    config.std_catalog_only = std_catalog_only;
    for l in 0..depth {
        let crates: Vec<usize> = (0..graph.crates.len())
            .filter(|i| level.get(i) == Some(&l))
            .collect();
        let done: Vec<(usize, ReadCrate, bool)> = pool.install(|| {
            crates
                .par_iter()
                .map(|&i| {
                    let c = &graph.crates[i];
                    let externs = externs(c, &out.models);
                    if let Some(stored) = stash.take(i) {
                        let read = crate::timing::time("deps: model from cache", || {
                            from_stored(i, c, stored, externs)
                        });
                        progress.crate_done(&c.name, true, read.1.len() as u64);
                        return (i, read, true);
                    }
                    let (read, stored) = read_one(i, c, cfg, externs, &config);
                    stash.store(i, &stored);
                    progress.crate_done(&c.name, false, read.1.len() as u64);
                    (i, read, false)
                })
                .collect()
        });
        for (i, (model, units, errors, lines), cached) in done {
            out.from_cache += usize::from(cached);
            out.keys.insert(i, model.key().to_owned());
            out.models.insert(i, Arc::new(model));
            out.units.extend(units);
            out.problems.extend(errors);
            out.lines += lines;
            out.crates_read += 1;
        }
    }
    crate::timing::add("deps: models (wall)", models_started.elapsed());
    if let Ok(needle) = std::env::var("POLLGUARD_DEBUG_SUMMARIES") {
        debug_summaries(&out, &needle);
    }
    out
}

/// Prints what the walker made of the dependency fns whose path contains
/// `needle`: how an engineer finds out why a call into a library is, or is
/// not, reported. Not a user-facing format.
fn debug_summaries(scan: &DepScan, needle: &str) {
    for u in &scan.units {
        for f in u.analysis.fns.iter().filter(|f| f.path.contains(needle)) {
            eprintln!("{} ({}:{})", f.path, u.display, f.span.line);
            for b in &f.blocking {
                let cond = if b.conditional { " (conditional)" } else { "" };
                eprintln!(
                    "  blocks: {} [{}] line {}{cond}",
                    b.call, b.rule.code, b.span.line
                );
            }
            for c in &f.calls {
                let cond = if c.conditional { " (conditional)" } else { "" };
                eprintln!("  calls: {} line {}{cond}", c.path, c.span.line);
            }
            if let Some((what, at)) = &f.generic_io {
                eprintln!("  generic i/o: {what} line {}", at.line);
            }
        }
    }
}

/// The configuration dependencies are walked with: every rule at its
/// default level (the user's levels apply where the workspace calls in),
/// test code skipped. `sync-lock` stays off, as by default: a std `Mutex`
/// held for a few instructions inside a library is not a blocking call.
fn dep_config() -> Config {
    let mut config = Config::default();
    config.skip_tests = true;
    config
}

fn externs(
    c: &DepCrate,
    models: &HashMap<usize, Arc<CrateModel>>,
) -> HashMap<String, Arc<CrateModel>> {
    c.deps
        .iter()
        .filter_map(|(name, d)| Some((name.clone(), Arc::clone(models.get(d)?))))
        .collect()
}

/// A crate read: its model, its files walked, what could not be read, its
/// size in bytes.
type ReadCrate = (CrateModel, Vec<DepUnit>, Vec<String>, usize);

/// Reads one crate, builds its model, walks every file. Runs on one thread:
/// the syntax trees cannot leave the thread that parsed them.
fn read_one(
    index: usize,
    c: &DepCrate,
    cfg: &Cfg,
    externs: HashMap<String, Arc<CrateModel>>,
    config: &Config,
) -> (ReadCrate, Stored) {
    let mut src = read_crate(c, cfg);
    let items: Vec<FileItems> = src
        .files
        .iter()
        .map(|f| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lower_file(&f.file)))
                .unwrap_or_default()
        })
        .collect();
    let model = model_of(
        index,
        c,
        src.files
            .iter()
            .zip(&items)
            .map(|(f, it)| (f.module_path.as_slice(), it)),
        externs,
    );
    let base = package_dir(&c.root);
    let mut errors = std::mem::take(&mut src.errors);
    let mut units = Vec::new();
    let mut lines = 0;
    for f in &src.files {
        let options = Options {
            config,
            module_path: f.module_path.clone(),
        };
        let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::scan::own(&analyze_file_in(&f.file, &options, &model))
        }));
        lines += f.text_len;
        match walked {
            Ok(analysis) => units.push(DepUnit {
                krate: index,
                display: display(&f.path, &base, c),
                analysis,
            }),
            Err(_) => errors.push(format!(
                "skipped `{}`: pollguard's analysis panicked on this dependency file; please report it",
                f.path.display()
            )),
        }
    }
    let mut mentions: Vec<String> = src.mentions.iter().cloned().collect();
    mentions.sort_unstable();
    let stored = Stored {
        mentions,
        errors: errors.clone(),
        lines,
        modules: src
            .files
            .iter()
            .zip(items)
            .map(|(f, it)| (f.module_path.clone(), it))
            .collect(),
        units: units
            .iter()
            .map(|u| (u.display.clone(), u.analysis.fns.clone()))
            .collect(),
    };
    drop(src);
    proc_macro2::extra::invalidate_current_thread_spans();
    ((model, units, errors, lines), stored)
}

/// A crate's model from its files' items, knowing its dependencies' models.
fn model_of<'a>(
    index: usize,
    c: &DepCrate,
    files: impl IntoIterator<Item = (&'a [String], &'a FileItems)>,
    externs: HashMap<String, Arc<CrateModel>>,
) -> CrateModel {
    let mut model = CrateModel::build(files, &[]);
    model.set_key(format!("{}#{}", c.lib_name, index));
    model.set_externs(externs);
    // `libc` declares the C library's functions without a `links` key:
    // it is the platform's own library, listed under its crate's name.
    model.set_links(
        pollguard_analysis::native::library_of(c.links.as_deref(), &c.name)
            .or_else(|| (c.lib_name == "libc").then(|| "libc".to_owned())),
    );
    model
}

/// What reading a crate gave, as the cache keeps it: enough to rebuild its
/// model and its fns' summaries without reading or parsing it again.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// The crate names its code mentions.
    mentions: Vec<String>,
    /// Files that could not be read or walked.
    errors: Vec<String>,
    /// Bytes of source read.
    lines: usize,
    /// Each file's module path and items.
    modules: Vec<(Vec<String>, FileItems)>,
    /// Each walked file: how chains name it, and its sync fns.
    units: Vec<(String, Vec<FnSummary<Pos>>)>,
}

/// A crate read again from the cache.
fn from_stored(
    index: usize,
    c: &DepCrate,
    stored: Stored,
    externs: HashMap<String, Arc<CrateModel>>,
) -> ReadCrate {
    let model = model_of(
        index,
        c,
        stored.modules.iter().map(|(m, it)| (m.as_slice(), it)),
        externs,
    );
    let units = stored
        .units
        .into_iter()
        .map(|(display, fns)| DepUnit {
            krate: index,
            display,
            analysis: FileAnalysis {
                fns,
                ..FileAnalysis::default()
            },
        })
        .collect();
    (model, units, stored.errors, stored.lines)
}

/// The cache, with what was loaded from it between the two passes (the
/// first needs only a crate's mentions, the second the rest).
struct Stash<'c> {
    cache: Option<&'c Cache>,
    /// Each crate's entry key, by index in [`DepGraph::crates`].
    keys: Vec<String>,
    kept: Mutex<HashMap<usize, Stored>>,
}

impl Stash<'_> {
    /// The entry of crate `i`, when the cache has a valid one.
    fn load(&self, i: usize) -> Option<Stored> {
        let bytes = crate::timing::time("deps: cache read", || self.cache?.get(self.keys.get(i)?))?;
        crate::timing::time("deps: cache decode", || rmp_serde::from_slice(&bytes).ok())
    }

    /// Keeps a loaded entry for the second pass.
    fn keep(&self, i: usize, stored: Stored) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(i, stored);
        }
    }

    /// The entry kept (or loaded now) for crate `i`.
    fn take(&self, i: usize) -> Option<Stored> {
        let kept = self.kept.lock().ok().and_then(|mut k| k.remove(&i));
        kept.or_else(|| self.load(i))
    }

    /// Writes crate `i`'s entry.
    fn store(&self, i: usize, stored: &Stored) {
        let (Some(cache), Some(key)) = (self.cache, self.keys.get(i)) else {
            return;
        };
        if let Ok(bytes) = rmp_serde::to_vec(stored) {
            cache.put(key, &bytes);
        }
    }
}

/// Each crate's entry key: what identifies the crate itself
/// ([`DepCrate::cache_key`]: id, features, sources when local), the host's
/// `cfg`s, this build of pollguard (its versions and the hash of its
/// sources `build.rs` takes: an engine with other rules reads again), and
/// the keys of its dependencies, whose models its walk used. Crates come after their dependencies, so one pass suffices.
fn entry_keys(graph: &DepGraph, cfg: &Cfg, std_catalog_only: bool) -> Vec<String> {
    let base = format!(
        "cargo-pollguard {} analysis {} engine {}\n{}{}",
        env!("CARGO_PKG_VERSION"),
        pollguard_analysis::VERSION,
        env!("POLLGUARD_ENGINE"),
        cfg.fingerprint(),
        if std_catalog_only {
            "\nstd catalog only"
        } else {
            ""
        }
    );
    let mut keys: Vec<String> = Vec::with_capacity(graph.crates.len());
    for c in &graph.crates {
        let mut h = Sha256::new();
        h.update(base.as_bytes());
        h.update(c.cache_key.as_bytes());
        let mut deps: Vec<(&str, &str)> = c
            .deps
            .iter()
            .map(|(name, d)| (name.as_str(), keys.get(*d).map_or("", String::as_str)))
            .collect();
        deps.sort_unstable();
        for (name, key) in deps {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(key.as_bytes());
            h.update([0]);
        }
        keys.push(format!("deps-{:x}", h.finalize()));
    }
    keys
}

/// The package directory of a crate root: the nearest ancestor with a
/// `Cargo.toml`.
fn package_dir(root: &Path) -> PathBuf {
    root.ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())
        .unwrap_or_else(|| root.parent().unwrap_or(root))
        .to_path_buf()
}

/// `csv-1.3.1/src/reader.rs`: short, and unambiguous between versions.
fn display(path: &Path, base: &Path, c: &DepCrate) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    format!("{}-{}/{rel}", c.name, c.version)
}
