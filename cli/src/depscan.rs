//! Dependencies read as source: each library the workspace names is read,
//! modelled and walked like the workspace's own code, so the transitive
//! closure follows calls into it down to the standard library's blocking
//! calls. Nothing is built and no build script or proc macro runs.
//!
//! The crates read are those a normal build links, from the workspace
//! members' direct dependencies down, but not through a crate the catalog
//! knows. Crates are modelled bottom-up, so a crate's model knows the
//! models of the crates it calls into (their return and field types).

use crate::deps::{Cache, Cfg, DepCrate, DepGraph, Progress, read_crate};
use crate::diag::Pos;
use crate::scan::FileAnalysis;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use pollguard_analysis::model::{CrateModel, FileItems, LazyModel, lower_file};
use pollguard_analysis::{Config, FnSummary, Options, analyze_file_in};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Crates whose blocking calls the catalog lists itself: reading them would
/// only repeat it (the runtime's own offloaders and `block_on`s).
pub(crate) const CATALOGUED: &[&str] = &["tokio", "std", "core", "alloc"];

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
    /// The model of each crate read, by index in [`DepGraph::crates`],
    /// built when first used.
    pub models: HashMap<usize, Arc<LazyModel>>,
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
    /// Each crate's items, encoded, until the view is built.
    items: HashMap<usize, Vec<u8>>,
    /// The dependencies' closure and models, kept for the resolved set.
    pub view: Option<Arc<crate::depview::View>>,
    /// How the crates were read, to read them all again when the view
    /// cannot answer (see [`DepScan::full`]).
    pub again: Option<Again>,
    /// Where the models the workspace's walk asks for are remembered for
    /// the next run (see [`DepScan::remember_asked`]).
    asked: Option<Asked>,
}

/// The models a walk of the workspace asked for, kept in the cache under
/// the view's key: the next warm run builds them on a thread of its own
/// while the workspace is discovered, instead of on the walking thread
/// when first asked (a third of a warm run's time above `--no-deps` on
/// `benches/deps_workspace`).
struct Asked {
    cache: Cache,
    key: String,
    /// What the cache held at the start of this run.
    before: Vec<usize>,
}

impl Asked {
    fn load(cache: &Cache, vkey: &str) -> Asked {
        let key = format!("asked-{vkey}");
        let before = cache
            .get(&key)
            .and_then(|b| String::from_utf8(b).ok())
            .map(|t| {
                t.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        Asked {
            cache: Cache::at(cache.dir()),
            key,
            before,
        }
    }
}

/// What [`read`] was given, to read every crate again.
pub(crate) struct Again {
    cfg: Cfg,
    cache: Option<Cache>,
    std_catalog_only: bool,
}

impl DepScan {
    /// Forgets which models were asked for so far (reading the
    /// dependencies asks for many): what counts is what the workspace's
    /// walk asks for, from now on.
    pub(crate) fn forget_asked(&self) {
        for m in self.models.values() {
            m.forget_asked();
        }
    }

    /// Stores which models were asked for since [`DepScan::forget_asked`],
    /// when that differs from what the cache held.
    pub(crate) fn remember_asked(&self) {
        let Some(asked) = &self.asked else {
            return;
        };
        let mut now: Vec<usize> = self
            .models
            .iter()
            .filter(|(_, m)| m.was_asked())
            .map(|(i, _)| *i)
            .collect();
        now.sort_unstable();
        if now != asked.before {
            let text: Vec<String> = now.iter().map(usize::to_string).collect();
            asked.cache.put(&asked.key, text.join(" ").as_bytes());
        }
    }

    /// The models of a workspace package's dependencies, by the names its
    /// code uses for them.
    pub(crate) fn externs_of(
        &self,
        graph: &DepGraph,
        package_id: &str,
    ) -> HashMap<String, Arc<LazyModel>> {
        graph
            .roots
            .get(package_id)
            .into_iter()
            .flatten()
            .filter_map(|(name, i)| Some((name.clone(), Arc::clone(self.models.get(i)?))))
            .collect()
    }

    /// Every crate's files and eagerly built models, read again from the
    /// per-crate entries or the sources: for a closure the view cannot
    /// answer (see [`crate::depview::View::part`]).
    pub(crate) fn full(&self, graph: &DepGraph, pool: &rayon::ThreadPool) -> Option<DepScan> {
        let again = self.again.as_ref()?;
        let progress = Progress::new(0, false);
        Some(read_full(
            graph,
            &again.cfg,
            pool,
            &progress,
            again.cache.as_ref(),
            again.std_catalog_only,
        ))
    }
}

/// The crates to read: every crate a normal build links, from the
/// workspace's direct dependencies down, but not through a crate the
/// catalog knows (`tokio`'s own dependencies are its business).
///
/// The graph alone decides, not what each crate's code names: a first
/// pass over every crate's items to find the names cost 0.8× the parse of
/// everything read on a 258-package service (`benches/deps_speed.py`),
/// and skipped 0.5 % of its lines. A normal dependency is nearly always
/// named by the crate that declares it; the platform's and the features'
/// choices are already in the graph.
fn needed(graph: &DepGraph) -> HashSet<usize> {
    let catalogued = |i: usize| CATALOGUED.contains(&graph.crates[i].lib_name.as_str());
    let mut seen: HashSet<usize> = HashSet::new();
    let mut todo: Vec<usize> = graph
        .roots
        .values()
        .flatten()
        .map(|(_, i)| *i)
        .filter(|&i| !catalogued(i))
        .collect();
    while let Some(i) = todo.pop() {
        if seen.insert(i) {
            todo.extend(
                graph.crates[i]
                    .deps
                    .iter()
                    .map(|(_, d)| *d)
                    .filter(|&d| !catalogued(d) && !seen.contains(&d)),
            );
        }
    }
    seen
}

/// Reads, models and walks the dependencies the workspace calls into: from
/// the view of this resolved set when the cache has it (see
/// [`crate::depview`]), else crate by crate, storing the view.
pub(crate) fn read(
    graph: &DepGraph,
    cfg: &Cfg,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    cache: Option<&Cache>,
    std_catalog_only: bool,
) -> DepScan {
    let keys = crate::timing::time("deps: entry keys", || {
        entry_keys(graph, cfg, std_catalog_only)
    });
    let vkey = crate::depview::view_key(graph, &keys);
    let again = Again {
        cfg: cfg.clone(),
        cache: cache.map(|c| Cache::at(c.dir())),
        std_catalog_only,
    };
    // The debugging dump needs every fn's summary: it reads everything.
    let debugging = std::env::var_os("POLLGUARD_DEBUG_SUMMARIES").is_some();
    if let (Some(c), Some(vkey), false) = (cache, &vkey, debugging) {
        if let Some(early) = take_early(vkey) {
            crate::timing::add_count("deps: view found early (count)", 1);
            return early;
        }
        let view = crate::timing::time("deps: view load", || crate::depview::View::load(c, vkey));
        if let Some(view) = view.filter(|v| v.fits(graph.crates.len())) {
            return from_view(graph, view, &keys, again, vkey);
        }
    }
    let mut out = read_full(graph, cfg, pool, progress, cache, std_catalog_only);
    out.view = crate::timing::time("deps: view build", || {
        build_view(
            graph,
            &mut out,
            cache.filter(|_| vkey.is_some()),
            vkey.as_deref().unwrap_or(""),
        )
        .map(Arc::new)
    });
    out.again = Some(again);
    if let (Some(c), Some(vkey)) = (cache, &vkey) {
        out.asked = Some(Asked::load(c, vkey));
    }
    if let Ok(needle) = std::env::var("POLLGUARD_DEBUG_SUMMARIES") {
        debug_summaries(&out, &needle);
    }
    out
}

/// What a warm run can start before the workspace is read: the view of
/// the dependencies, with its direct dependencies' models being built,
/// found with the answers `rustc` gave at the start (see
/// [`crate::deps::graph_early`]), under the key it was found with.
type EarlyView = std::thread::JoinHandle<Option<(String, DepScan)>>;

static EARLY_VIEW: Mutex<Option<EarlyView>> = Mutex::new(None);

/// Starts looking for the view of the dependencies on a thread of its own,
/// while the workspace is discovered (`cargo metadata` runs for most of
/// that time): on a small project, a warm run's models are then built
/// before its walk asks for them. Finds nothing, silently, on a cold run.
pub(crate) fn prefetch_view(
    cwd: PathBuf,
    manifest_path: Option<PathBuf>,
    opts: crate::deps::DepOptions,
    std_catalog_only: bool,
) {
    if std::env::var_os("POLLGUARD_DEBUG_SUMMARIES").is_some() {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("pollguard-view".to_owned())
        .spawn(move || {
            let cache = Cache::open()?;
            let (graph, cfg) =
                crate::deps::graph_early(&cwd, manifest_path.as_deref(), &opts, &cache)?;
            let keys = entry_keys(&graph, &cfg, std_catalog_only);
            let vkey = crate::depview::view_key(&graph, &keys)?;
            let view = crate::depview::View::load(&cache, &vkey)?;
            if !view.fits(graph.crates.len()) {
                return None;
            }
            let again = Again {
                cfg,
                cache: Some(Cache::at(cache.dir())),
                std_catalog_only,
            };
            let scan = from_view(&graph, view, &keys, again, &vkey);
            Some((vkey, scan))
        });
    if let (Ok(handle), Ok(mut early)) = (spawned, EARLY_VIEW.lock()) {
        *early = Some(handle);
    }
}

/// The view [`prefetch_view`] found, if it is the one under `vkey`: the
/// same graph, entry keys and host `cfg` as this run's.
fn take_early(vkey: &str) -> Option<DepScan> {
    let handle = EARLY_VIEW.lock().ok()?.take()?;
    let (key, scan) = handle.join().ok()??;
    (key == vkey).then_some(scan)
}

/// A run's reading of the dependencies from a view: models built when the
/// workspace's code first goes into them, each from its crate's items in
/// the view (or, when that section is unreadable, from its per-crate entry
/// or its sources). `vkey` is the view's key.
fn from_view(
    graph: &DepGraph,
    view: crate::depview::View,
    entry_keys: &[String],
    again: Again,
    vkey: &str,
) -> DepScan {
    let view = Arc::new(view);
    let needed: HashSet<usize> = view.needed().iter().copied().collect();
    let mut models: HashMap<usize, Arc<LazyModel>> = HashMap::new();
    for (i, c) in graph.crates.iter().enumerate() {
        if !needed.contains(&i) {
            continue;
        }
        let externs = externs(c, &models);
        let (view, c2, cfg) = (Arc::clone(&view), c.clone(), again.cfg.clone());
        let cache = again.cache.as_ref().map(|c| Cache::at(c.dir()));
        let entry = entry_keys.get(i).cloned().unwrap_or_default();
        let lazy = LazyModel::new(format!("{}#{}", c.lib_name, i), move || {
            let started = std::time::Instant::now();
            let items = view
                .items(i)
                .or_else(|| {
                    let bytes = cache?.get(&entry)?;
                    rmp_serde::from_slice::<Stored>(&bytes)
                        .ok()
                        .map(|s| s.modules)
                })
                .unwrap_or_else(|| items_of(&c2, &cfg));
            crate::timing::add("deps: lazy items", started.elapsed());
            let model = model_of(
                i,
                &c2,
                items.iter().map(|(m, it)| (m.as_slice(), it)),
                externs,
            );
            crate::timing::add("deps: lazy models", started.elapsed());
            crate::timing::add_count("deps: lazy models built", 1);
            model
        });
        models.insert(i, Arc::new(lazy));
    }
    // The workspace's walk asks for the models the last walk asked for, or
    // without a record of those, its direct dependencies' first, one at a
    // time on the thread walking; built on a thread of their own meanwhile,
    // they are ready or nearly so when asked for, while the workspace is
    // still being discovered and parsed.
    let asked = again.cache.as_ref().map(|c| Asked::load(c, vkey));
    let first: Vec<usize> = match &asked {
        Some(a) if !a.before.is_empty() => a.before.clone(),
        _ => {
            let mut direct: Vec<usize> = graph.roots.values().flatten().map(|(_, i)| *i).collect();
            direct.sort_unstable();
            direct.dedup();
            direct
        }
    };
    let early: Vec<Arc<LazyModel>> = first
        .iter()
        .filter_map(|i| models.get(i).map(Arc::clone))
        .collect();
    if !early.is_empty() {
        let _ = std::thread::Builder::new()
            .name("pollguard-models".to_owned())
            .stack_size(crate::source::STACK_SIZE)
            .spawn(move || {
                for m in early {
                    m.prebuild();
                }
            });
    }
    let keys = models
        .keys()
        .map(|&i| (i, format!("{}#{}", graph.crates[i].lib_name, i)))
        .collect();
    DepScan {
        keys,
        problems: view.problems().to_vec(),
        crates_read: models.len(),
        from_cache: models.len(),
        lines: view.lines(),
        models,
        units: Vec::new(),
        items: HashMap::new(),
        view: Some(view),
        again: Some(again),
        asked,
    }
}

/// A crate's items read from its sources (no walk): the last resort of a
/// model whose cached items are unreadable.
fn items_of(c: &DepCrate, cfg: &Cfg) -> Vec<(Vec<String>, FileItems)> {
    let src = read_crate(c, cfg);
    let lowered = lower_all(c, &src.files);
    let items = src
        .files
        .iter()
        .map(|f| f.module_path.clone())
        .zip(lowered)
        .collect();
    drop(src);
    proc_macro2::extra::invalidate_current_thread_spans();
    items
}

/// The view of what `out` read, stored in `cache`.
fn build_view(
    graph: &DepGraph,
    out: &mut DepScan,
    cache: Option<&Cache>,
    vkey: &str,
) -> Option<crate::depview::View> {
    let config = Config::default();
    let kinds: Vec<pollguard_analysis::transitive::CrateKind> = out
        .units
        .iter()
        .map(|u| graph.crates[u.krate].kind())
        .collect();
    let engine_units: Vec<pollguard_analysis::transitive::Unit<'_, Pos>> = out
        .units
        .iter()
        .zip(&kinds)
        .map(|(u, kind)| pollguard_analysis::transitive::Unit {
            krate: out.keys.get(&u.krate).map_or("", String::as_str),
            file: &u.analysis,
            config: &config,
            dependency: true,
            kind: *kind,
            test: false,
        })
        .collect();
    let models = &out.models;
    let units = &out.units;
    let by_unit = |u: usize, path: &str| models.get(&units[u].krate)?.get().resolve_extern(path);
    let reach = pollguard_analysis::transitive::reach(&engine_units, &by_unit);
    let by_crate = |c: usize, path: &str| models.get(&c)?.get().resolve_extern(path);
    let mut needed: Vec<usize> = out.models.keys().copied().collect();
    needed.sort_unstable();
    let parts = crate::depview::Parts {
        needed,
        problems: out.problems.clone(),
        lines: out.lines,
        items: std::mem::take(&mut out.items),
        units: out
            .units
            .iter()
            .map(|u| (u.krate, u.display.as_str(), u.analysis.fns.as_slice()))
            .collect(),
        keys: &out.keys,
        reach,
        resolve: &by_crate,
    };
    let (head, body) = crate::depview::build(&parts)?;
    crate::depview::View::store(cache, vkey, head, body)
}

/// Reads, models and walks the needed crates one by one (each from its
/// per-crate entry when the cache has it).
fn read_full(
    graph: &DepGraph,
    cfg: &Cfg,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    cache: Option<&Cache>,
    std_catalog_only: bool,
) -> DepScan {
    let stash = Stash {
        cache,
        keys: cache
            .map(|_| entry_keys(graph, cfg, std_catalog_only))
            .unwrap_or_default(),
    };
    let needed = needed(graph);
    let models_started = std::time::Instant::now();
    let mut out = DepScan::default();
    // Levels: a crate comes after every crate it depends on. They order the
    // results kept, whichever crate finished first.
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
    let mut config = dep_config();
    config.std_catalog_only = std_catalog_only;
    // Each crate starts as soon as the crates it depends on are modelled,
    // not when a whole level of the graph is done: a level waited for its
    // slowest crate while the other core idled.
    let mut dependents: HashMap<usize, Vec<usize>> = HashMap::new();
    let waiting: HashMap<usize, AtomicUsize> = level
        .keys()
        .map(|&i| {
            let deps: HashSet<usize> = graph.crates[i]
                .deps
                .iter()
                .map(|(_, d)| *d)
                .filter(|d| level.contains_key(d))
                .collect();
            for &d in &deps {
                dependents.entry(d).or_default().push(i);
            }
            (i, AtomicUsize::new(deps.len()))
        })
        .collect();
    let ready: Vec<usize> = waiting
        .iter()
        .filter(|(_, n)| n.load(Ordering::Relaxed) == 0)
        .map(|(i, _)| *i)
        .collect();
    let run = Run {
        graph,
        cfg,
        config: &config,
        stash: &stash,
        progress,
        dependents: &dependents,
        waiting: &waiting,
        models: Mutex::new(HashMap::new()),
        done: Mutex::new(Vec::new()),
    };
    pool.install(|| {
        rayon::scope(|scope| {
            for i in ready {
                let run = &run;
                scope.spawn(move |scope| run.crate_at(scope, i));
            }
        });
    });
    out.models = run.models.into_inner().unwrap_or_default();
    let mut done = run.done.into_inner().unwrap_or_default();
    // In the order the levels gave, whichever finished first: the same
    // output every run.
    done.sort_by_key(|(i, ..)| (level.get(i).copied(), *i));
    for (i, key, units, errors, lines, items, cached) in done {
        out.from_cache += usize::from(cached);
        out.keys.insert(i, key);
        out.items.insert(i, items);
        out.units.extend(units);
        out.problems.extend(errors);
        out.lines += lines;
        out.crates_read += 1;
    }
    crate::timing::add("deps: models (wall)", models_started.elapsed());
    if let Some(list) = std::env::var_os("POLLGUARD_DEBUG_DEP_FILES") {
        let files = READ.lock().map(|f| f.join("\n")).unwrap_or_default();
        if let Err(e) = std::fs::write(&list, files) {
            eprintln!("warning: cannot write `POLLGUARD_DEBUG_DEP_FILES`: {e}");
        }
    }
    out
}

/// A crate read: its index, model key, files walked, problems, size,
/// encoded items, and whether it came from the cache.
type CrateDone = (
    usize,
    String,
    Vec<DepUnit>,
    Vec<String>,
    usize,
    Vec<u8>,
    bool,
);

/// What the crates of one [`read_full`] share while they are read in
/// parallel, each once its dependencies are modelled.
struct Run<'a> {
    graph: &'a DepGraph,
    cfg: &'a Cfg,
    config: &'a Config,
    stash: &'a Stash<'a>,
    progress: &'a Progress,
    dependents: &'a HashMap<usize, Vec<usize>>,
    /// For each crate to read, how many of its dependencies are not
    /// modelled yet.
    waiting: &'a HashMap<usize, AtomicUsize>,
    models: Mutex<HashMap<usize, Arc<LazyModel>>>,
    done: Mutex<Vec<CrateDone>>,
}

impl Run<'_> {
    /// Reads (or takes from the cache) crate `i`, then starts each crate
    /// that was waiting only for it.
    fn crate_at<'s>(&'s self, scope: &rayon::Scope<'s>, i: usize) {
        let c = &self.graph.crates[i];
        let externs = match self.models.lock() {
            Ok(models) => externs(c, &models),
            Err(_) => return,
        };
        let (read, cached) = match self.stash.load(i) {
            Some(stored) => {
                let read = crate::timing::time("deps: model from cache", || {
                    from_stored(i, c, stored, externs)
                });
                (read, true)
            }
            None => {
                let (read, stored) = read_one(i, c, self.cfg, externs, self.config);
                self.stash.store(i, &stored);
                (read, false)
            }
        };
        let (model, units, errors, lines, items) = read;
        self.progress
            .crate_done(&c.name, cached, units.len() as u64);
        let key = model.key().to_owned();
        if let Ok(mut models) = self.models.lock() {
            models.insert(i, Arc::new(LazyModel::ready(Arc::new(model))));
        }
        if let Ok(mut done) = self.done.lock() {
            done.push((i, key, units, errors, lines, items, cached));
        }
        for &d in self.dependents.get(&i).into_iter().flatten() {
            if self.waiting[&d].fetch_sub(1, Ordering::AcqRel) == 1 {
                scope.spawn(move |scope| self.crate_at(scope, d));
            }
        }
    }
}

/// The dependency files read whole in this run, kept only for
/// `POLLGUARD_DEBUG_DEP_FILES`: the benchmark's floor parses the same files
/// (`benches/deps_speed.sh`). Not a user-facing output.
static READ: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn note_read(files: &[crate::deps::DepFile]) {
    if std::env::var_os("POLLGUARD_DEBUG_DEP_FILES").is_none() {
        return;
    }
    if let Ok(mut read) = READ.lock() {
        read.extend(files.iter().map(|f| f.path.display().to_string()));
    }
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
            if let Some((what, at)) = &f.generic_addr {
                eprintln!("  generic address: {what} line {}", at.line);
            }
        }
    }
}

/// A dependency's files lowered (a file whose lowering panics gives no
/// items, never a crash), their `use` paths read as its edition does.
fn lower_all(c: &DepCrate, files: &[crate::deps::DepFile]) -> Vec<FileItems> {
    let mut items: Vec<FileItems> = files
        .iter()
        .map(|f| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lower_file(&f.file)))
                .unwrap_or_default()
        })
        .collect();
    for_edition(c, &mut items);
    items
}

/// Rust 2015's `use` paths are relative to the crate root, where `extern
/// crate` binds the dependencies.
fn for_edition(c: &DepCrate, items: &mut [FileItems]) {
    if c.edition != "2015" {
        return;
    }
    let mut externs: Vec<String> = c.deps.iter().map(|(name, _)| name.clone()).collect();
    externs.extend(
        items
            .iter()
            .flat_map(|i| i.extern_crate_names().map(str::to_owned)),
    );
    let externs: Vec<&str> = externs.iter().map(String::as_str).collect();
    for i in items {
        i.uses_from_crate_root(&externs);
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
    models: &HashMap<usize, Arc<LazyModel>>,
) -> HashMap<String, Arc<LazyModel>> {
    c.deps
        .iter()
        .filter_map(|(name, d)| Some((name.clone(), Arc::clone(models.get(d)?))))
        .collect()
}

/// A crate read: its model, its files walked, what could not be read, its
/// size in bytes, its items encoded (for the view).
type ReadCrate = (CrateModel, Vec<DepUnit>, Vec<String>, usize, Vec<u8>);

/// Reads one crate, builds its model, walks every file. Runs on one thread:
/// the syntax trees cannot leave the thread that parsed them.
fn read_one(
    index: usize,
    c: &DepCrate,
    cfg: &Cfg,
    externs: HashMap<String, Arc<LazyModel>>,
    config: &Config,
) -> (ReadCrate, Stored) {
    let mut src = crate::timing::time("deps: read and parse", || read_crate(c, cfg));
    note_read(&src.files);
    let items = crate::timing::time("deps: lower", || lower_all(c, &src.files));
    let model_started = std::time::Instant::now();
    let model = model_of(
        index,
        c,
        src.files
            .iter()
            .zip(&items)
            .map(|(f, it)| (f.module_path.as_slice(), it)),
        externs,
    );
    crate::timing::add("deps: model", model_started.elapsed());
    let walk_started = std::time::Instant::now();
    let base = package_dir(&c.root);
    let mut errors = std::mem::take(&mut src.errors);
    let mut units = Vec::new();
    let mut lines = 0;
    for f in &src.files {
        let options = Options {
            config,
            module_path: f.module_path.clone(),
            test_module: false,
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
    crate::timing::add("deps: walk", walk_started.elapsed());
    let stored = Stored {
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
    let items = rmp_serde::to_vec(&stored.modules).unwrap_or_default();
    ((model, units, errors, lines, items), stored)
}

/// A crate's model from its files' items, knowing its dependencies' models.
fn model_of<'a>(
    index: usize,
    c: &DepCrate,
    files: impl IntoIterator<Item = (&'a [String], &'a FileItems)>,
    externs: HashMap<String, Arc<LazyModel>>,
) -> CrateModel {
    let mut model = CrateModel::build(files, &[]);
    model.set_key(format!("{}#{}", c.lib_name, index));
    model.set_lazy_externs(externs);
    // `libc` declares the C library's functions without a `links` key:
    // it is the platform's own library, listed under its crate's name, as
    // is `rustix`, which makes the same system calls.
    model.set_links(
        pollguard_analysis::native::library_of(c.links.as_deref(), &c.name).or_else(|| {
            matches!(c.lib_name.as_str(), "libc" | "rustix").then(|| c.lib_name.clone())
        }),
    );
    model
}

/// What reading a crate gave, as the cache keeps it: enough to rebuild its
/// model and its fns' summaries without reading or parsing it again.
#[derive(Serialize, Deserialize)]
struct Stored {
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
    externs: HashMap<String, Arc<LazyModel>>,
) -> ReadCrate {
    let items = rmp_serde::to_vec(&stored.modules).unwrap_or_default();
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
    (model, units, stored.errors, stored.lines, items)
}

/// The cache, keyed for this graph.
struct Stash<'c> {
    cache: Option<&'c Cache>,
    /// Each crate's entry key, by index in [`DepGraph::crates`].
    keys: Vec<String>,
}

impl Stash<'_> {
    /// The entry of crate `i`, when the cache has a valid one.
    fn load(&self, i: usize) -> Option<Stored> {
        let bytes = crate::timing::time("deps: cache read", || self.cache?.get(self.keys.get(i)?))?;
        crate::timing::time("deps: cache decode", || rmp_serde::from_slice(&bytes).ok())
    }

    /// Writes crate `i`'s entry.
    fn store(&self, i: usize, stored: &Stored) {
        let (Some(cache), Some(key)) = (self.cache, self.keys.get(i)) else {
            return;
        };
        crate::timing::time("deps: store", || {
            if let Ok(bytes) = rmp_serde::to_vec(stored) {
                cache.put(key, &bytes);
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every crate the workspace links is read, down from its direct
    /// dependencies, except through a crate the catalog knows.
    #[test]
    fn the_crates_read_are_those_linked_but_not_behind_the_catalog() {
        let krate = |name: &str, deps: &[(&str, usize)]| DepCrate {
            name: name.to_owned(),
            lib_name: name.to_owned(),
            deps: deps.iter().map(|(n, i)| ((*n).to_owned(), *i)).collect(),
            ..DepCrate::default()
        };
        let graph = DepGraph {
            crates: vec![
                krate("mio", &[]),
                krate("tokio", &[("mio", 0)]),
                krate("helper", &[]),
                krate("client", &[("tokio", 1), ("helper", 2)]),
                krate("other", &[]),
                krate("dev_only", &[("helper", 2)]),
            ],
            roots: [(
                "app".to_owned(),
                vec![("client".to_owned(), 3), ("dev_only".to_owned(), 5)],
            )]
            .into_iter()
            .collect(),
            ..DepGraph::default()
        };
        let mut read: Vec<&str> = needed(&graph)
            .into_iter()
            .map(|i| graph.crates[i].name.as_str())
            .collect();
        read.sort_unstable();
        assert_eq!(read, ["client", "dev_only", "helper"]);
    }
}
