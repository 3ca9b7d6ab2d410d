//! Reading, parsing and analysing files in parallel, then the transitive
//! closure and the suppressions, into [`Diag`]s.
//!
//! syn's trees and the engine's [`Analysis`] hold `proc_macro2` spans, which
//! are tied to the thread that parsed the file. So each worker turns its
//! file's analysis into an owned, span-free [`FileAnalysis`] (lines and
//! columns) before moving on, and clears its thread's span table so memory
//! stays flat however many files it reads.

use crate::diag::{Diag, Kind, Pos, Problem};
use crate::discover::Discovered;
use crate::source::{self, Refusal};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use pollguard_analysis::model::{CrateModel, FileItems, LazyModel, ModItems, lower_file};
use pollguard_analysis::transitive::Summaries;
use pollguard_analysis::{
    Analysis, BlockingCall, CommentAllow, Confidence, Config, Construction, Finding, FnSummary,
    Level, LocalCall, Options, analyze_file, analyze_file_in, parse_comment_allows,
};
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An escape-hatch attribute.
#[derive(Clone, Debug)]
pub struct OwnedHatch {
    /// Where.
    pub start: Pos,
    /// End.
    pub end: Pos,
    /// Whether it suppressed a direct finding.
    pub used: bool,
    /// Its categories or rules.
    pub keys: Vec<String>,
}

/// A `// pollguard: allow(..)` comment and the line it covers.
#[derive(Clone, Debug)]
pub struct OwnedComment {
    /// The comment.
    pub allow: CommentAllow,
    /// The line whose findings it suppresses.
    pub covers_line: usize,
    /// The column just past the comment's end.
    pub end_column: usize,
}

/// The analysis of one file, without spans.
#[derive(Clone, Debug, Default)]
pub struct FileAnalysis {
    /// Direct findings.
    pub findings: Vec<Finding<Pos>>,
    /// Malformed escape hatches: start, end, message.
    pub errors: Vec<(Pos, Pos, String)>,
    /// Sync fns.
    pub fns: Vec<FnSummary<Pos>>,
    /// Calls of non-catalog paths in async context.
    pub async_calls: Vec<LocalCall<Pos>>,
    /// Escape-hatch attributes.
    pub hatches: Vec<OwnedHatch>,
    /// Escape-hatch comments.
    pub comments: Vec<OwnedComment>,
    /// The crate's own offloaders (`fn asyncify(f) { spawn_blocking(f) }`).
    pub offloaders: Arc<[String]>,
    /// The channel ends the file makes.
    pub constructed: Vec<Construction>,
    /// Calls made in futures on another executor's loop (see
    /// [`Analysis::foreign_calls`]).
    pub foreign_calls: Vec<String>,
    /// Calls awaited by async fns' own bodies (see [`Analysis::awaits`]).
    pub awaits: Vec<(String, String)>,
}

impl Summaries<Pos> for FileAnalysis {
    fn fns(&self) -> &[FnSummary<Pos>] {
        &self.fns
    }
    fn async_calls(&self) -> &[LocalCall<Pos>] {
        &self.async_calls
    }
    fn hatch_keys(&self, hatch: usize) -> &[String] {
        self.hatches.get(hatch).map_or(&[], |h| &h.keys)
    }
    fn constructed(&self) -> &[Construction] {
        &self.constructed
    }
}

/// What became of one file.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Parsed and analysed.
    Analysed(FileAnalysis),
    /// Not analysed: no worker reached it (one stopped early).
    Skipped,
    /// syn refused it.
    ParseError {
        /// Where.
        pos: Pos,
        /// syn's message.
        message: String,
    },
    /// Not parsed: binary, not UTF-8, nested too deeply, unreadable.
    Refused(Refusal),
    /// The engine panicked: a bug in pollguard, reported, never fatal.
    Panicked(String),
}

fn pos(lc: proc_macro2::LineColumn) -> Pos {
    Pos {
        line: lc.line,
        column: lc.column + 1,
    }
}

/// Parses and analyses one file's text, never panicking and never recursing
/// deeper than [`source::MAX_NESTING`] levels. Call it on a thread with
/// [`source::STACK_SIZE`] bytes of stack.
pub fn analyze_source(text: &str, options: &Options<'_>) -> Outcome {
    analyze_source_in(text, options, None)
}

/// [`analyze_source`] for a file of a crate whose model was built from all
/// its files (`None`: the file is a crate of its own).
pub fn analyze_source_in(text: &str, options: &Options<'_>, model: Option<&CrateModel>) -> Outcome {
    let outcome = match parse_checked(text) {
        Ok(file) => analyse_parsed(&file, text, options, model),
        Err(o) => *o,
    };
    // Spans of this file are dead from here on; free the thread's table.
    proc_macro2::extra::invalidate_current_thread_spans();
    outcome
}

/// Parses a file, never panicking and never recursing too deep; the
/// outcome to report when it cannot be parsed.
/// Doc comments are parsed as plain comments ([`source::for_parser`]).
fn parse_checked(text: &str) -> Result<syn::File, Box<Outcome>> {
    let text = crate::timing::time("check_nesting", || source::for_parser(text))
        .map_err(|r| Box::new(Outcome::Refused(r)))?;
    match std::panic::catch_unwind(AssertUnwindSafe(|| syn::parse_file(&text))) {
        Ok(Ok(file)) => Ok(file),
        Ok(Err(e)) => Err(Box::new(Outcome::ParseError {
            pos: pos(e.span().start()),
            message: e.to_string(),
        })),
        Err(payload) => Err(Box::new(Outcome::Panicked(panic_message(payload)))),
    }
}

/// Analyses a parsed file into owned, span-free results, never panicking.
fn analyse_parsed(
    file: &syn::File,
    text: &str,
    options: &Options<'_>,
    model: Option<&CrateModel>,
) -> Outcome {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let analysis = match model {
            Some(m) => analyze_file_in(file, options, m),
            None => analyze_file(file, options),
        };
        let mut owned = own(&analysis);
        owned.comments = comments(text);
        Outcome::Analysed(owned)
    }));
    result.unwrap_or_else(|payload| Outcome::Panicked(panic_message(payload)))
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

fn own_call(c: &LocalCall) -> LocalCall<Pos> {
    LocalCall {
        path: c.path.clone(),
        display: c.display.clone(),
        span: pos(c.span.start()),
        end_span: pos(c.end_span.end()),
        awaited: c.awaited,
        hatches: c.hatches.clone(),
        io: c.io,
        addr: c.addr,
        conditional: c.conditional,
        not_in_tests: c.not_in_tests,
        in_test: c.in_test,
        opt_in: c.opt_in,
        gates: c.gates,
        ungates: c.ungates,
        arms: c.arms.clone(),
        variant_args: c.variant_args.clone(),
        off_args: c.off_args,
        on_args: c.on_args,
        passes: c.passes.clone(),
        by_path: c.by_path,
        alt: c.alt,
        closure_of: c.closure_of.clone(),
        async_fn: c.async_fn.clone(),
    }
}

pub(crate) fn own(a: &Analysis) -> FileAnalysis {
    FileAnalysis {
        findings: a
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule,
                call: f.call.clone(),
                display: f.display.clone(),
                span: pos(f.span.start()),
                end_span: pos(f.end_span.end()),
                confidence: f.confidence,
                level: f.level,
                help: f.help.clone(),
                notes: f.notes.clone(),
                // Only the transitive closure makes chains.
                chain: Vec::new(),
                inside_closure_of: f.inside_closure_of.clone(),
                async_fn: f.async_fn.clone(),
            })
            .collect(),
        errors: a
            .errors
            .iter()
            .map(|e| (pos(e.span().start()), pos(e.span().end()), e.to_string()))
            .collect(),
        fns: a
            .fns
            .iter()
            .map(|f| FnSummary {
                path: f.path.clone(),
                span: pos(f.span.start()),
                marked: f.marked,
                allowed: f.allowed,
                blocking: f
                    .blocking
                    .iter()
                    .map(|b| BlockingCall {
                        call: b.call.clone(),
                        rule: b.rule,
                        span: pos(b.span.start()),
                        conditional: b.conditional,
                        not_in_tests: b.not_in_tests,
                        opt_in: b.opt_in,
                        gates: b.gates,
                        ungates: b.ungates,
                        arms: b.arms.clone(),
                    })
                    .collect(),
                calls: f.calls.iter().map(own_call).collect(),
                generic_io: f
                    .generic_io
                    .as_ref()
                    .map(|(d, span)| (d.clone(), pos(span.start()))),
                generic_addr: f
                    .generic_addr
                    .as_ref()
                    .map(|(d, span)| (d.clone(), pos(span.start()))),
                has_self: f.has_self,
            })
            .collect(),
        async_calls: a.async_calls.iter().map(own_call).collect(),
        hatches: a
            .hatches
            .iter()
            .map(|h| OwnedHatch {
                start: pos(h.span.start()),
                end: pos(h.span.end()),
                used: h.used,
                keys: h.keys.clone(),
            })
            .collect(),
        comments: Vec::new(),
        offloaders: Arc::clone(&a.offloaders),
        constructed: a.constructed.clone(),
        foreign_calls: a.foreign_calls.clone(),
        awaits: a.awaits.clone(),
    }
}

/// The comment escape hatches of a file, each with the line it covers: its
/// own line when code precedes it, else the next line that is neither blank
/// nor a comment.
fn comments(text: &str) -> Vec<OwnedComment> {
    let found = parse_comment_allows(text);
    if found.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    found
        .into_iter()
        .map(|allow| {
            let covers_line = if allow.trailing {
                allow.line
            } else {
                (allow.line..lines.len())
                    .find(|&i| {
                        let l = lines[i].trim();
                        !l.is_empty() && !l.starts_with("//")
                    })
                    .map_or(0, |i| i + 1)
            };
            let end_column = lines
                .get(allow.line - 1)
                .map_or(allow.column, |l| l.chars().count() + 1);
            OwnedComment {
                allow,
                covers_line,
                end_column,
            }
        })
        .collect()
}

/// How to scan.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Report escape hatches that suppress nothing.
    pub report_unused_allows: bool,
    /// Worker threads; 0 for one per core.
    pub threads: usize,
    /// The dependencies, read from their sources (none with `--no-deps`).
    pub deps: Option<Arc<Deps>>,
}

/// The dependency graph and what reading it gave.
pub struct Deps {
    /// The graph from `cargo metadata`.
    pub graph: crate::deps::DepGraph,
    /// The crates read.
    pub(crate) scan: crate::depscan::DepScan,
}

impl std::fmt::Debug for Deps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deps")
            .field("crates", &self.graph.crates.len())
            .field("read", &self.scan.crates_read)
            .finish()
    }
}

/// A scanned file.
#[derive(Clone, Debug)]
pub struct ScannedFile {
    /// How messages name it.
    pub display: String,
    /// Its text, when it could be read.
    pub text: Option<Arc<str>>,
    /// A file of a dependency, named only in chains.
    pub dependency: bool,
}

/// Everything a scan found.
#[derive(Clone, Debug, Default)]
pub struct ScanResult {
    /// Diagnostics, sorted by file and position.
    pub diags: Vec<Diag>,
    /// Files not analysed, or only in part.
    pub problems: Vec<Problem>,
    /// The files, indexed as in [`Diag::file`].
    pub files: Vec<ScannedFile>,
    /// Files fully parsed.
    pub parsed: usize,
    /// Lines read.
    pub lines: usize,
    /// The files that are test modules of their crate, declared under
    /// `#[cfg(test)]` (whatever their path says).
    pub test_files: HashSet<usize>,
}

/// The thread pool that parses, one per process and thread count: big
/// stacks, since syn recurses.
///
/// The pool lives as long as the process. A pool that is dropped ends its
/// threads, and each hands its freed memory back to the system on the way
/// out (jemalloc's purge): at the end of a run, when reading dependencies,
/// the scan and the context each had a pool of their own, that was 1.5% of
/// the run's CPU, spent on memory the process was about to give up anyway.
pub fn pool(threads: usize) -> Result<&'static rayon::ThreadPool, String> {
    static POOLS: std::sync::Mutex<Vec<(usize, &'static rayon::ThreadPool)>> =
        std::sync::Mutex::new(Vec::new());
    let mut pools = POOLS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, pool)) = pools.iter().find(|(n, _)| *n == threads) {
        return Ok(pool);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(source::STACK_SIZE)
        .thread_name(|i| format!("pollguard-{i}"))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let pool: &'static rayon::ThreadPool = Box::leak(Box::new(pool));
    pools.push((threads, pool));
    Ok(pool)
}

struct Work {
    text: Option<Arc<str>>,
    outcome: Outcome,
}

/// Each file's module path as rustc would give it: from each crate root,
/// `mod a;` is `a.rs` or `a/mod.rs` beside a `lib.rs`/`main.rs`/`mod.rs`
/// (else in a folder named after the file), and `#[path = ".."]` is taken
/// relative to the declaring file's folder. Files no root reaches keep the
/// path their place in the folders gives them. `batch` holds whole packages.
fn tree_module_paths(
    discovered: &Discovered,
    batch: &[usize],
    items: &HashMap<usize, FileItems>,
    paths: &mut [Vec<String>],
    tests: &mut HashSet<usize>,
) {
    let by_path: HashMap<&std::path::Path, usize> = batch
        .iter()
        .map(|&i| (discovered.files[i].path.as_path(), i))
        .collect();
    let mut seen: HashSet<usize> = HashSet::new();
    let mut stack: Vec<(usize, Vec<String>, bool)> = batch
        .iter()
        .copied()
        .filter(|&i| {
            let f = &discovered.files[i];
            discovered.packages[f.package]
                .targets
                .get(f.target)
                .is_some_and(|t| t.src_path == f.path)
        })
        .map(|i| (i, vec!["crate".to_owned()], false))
        .collect();
    while let Some((i, module, test)) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        paths[i] = module.clone();
        if test {
            tests.insert(i);
        }
        let Some(it) = items.get(&i) else { continue };
        let file = &discovered.files[i].path;
        let dir = file.parent().unwrap_or(std::path::Path::new(""));
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let mod_rs = matches!(stem, "mod" | "lib" | "main") || module.len() == 1;
        let children = if mod_rs {
            dir.to_path_buf()
        } else {
            dir.join(stem)
        };
        // rustc's rules for `#[path]`: at the top of a file, relative to the
        // file's directory (for an inline module too: `#[path = "p"] mod m
        // { mod c; }` in `a/b.rs` finds `a/p/c.rs`); inside an inline
        // module, relative to that module's directory.
        // A module declared under `#[cfg(test)]`, and all below it, is
        // test code.
        let mut pending: Vec<(&ModItems, std::path::PathBuf, Vec<String>, bool, bool)> =
            vec![(&it.root, children, module, false, test)];
        while let Some((m, dir_of_children, module, in_inline, test)) = pending.pop() {
            let path_base = if in_inline { &dir_of_children } else { dir };
            for d in &m.mods {
                let mut child = module.clone();
                child.push(d.name.clone());
                let test = test || d.test_only;
                if let Some(inline) = &d.inline {
                    let inner = match &d.path_attr {
                        Some(p) => path_base.join(p),
                        None => dir_of_children.join(&d.name),
                    };
                    pending.push((inline, inner, child, true, test));
                    continue;
                }
                let candidates = match &d.path_attr {
                    Some(p) => vec![path_base.join(p)],
                    None => vec![
                        dir_of_children.join(format!("{}.rs", d.name)),
                        dir_of_children.join(&d.name).join("mod.rs"),
                    ],
                };
                let found = candidates
                    .iter()
                    .find_map(|c| by_path.get(crate::discover::normalize(c).as_path()));
                if let Some(&j) = found {
                    stack.push((j, child, test));
                }
            }
        }
    }
}

/// The crate models of a batch of files: one per (package, crate), built
/// from every file that belongs to it, and for each file the index of the
/// model it is analysed with (its first crate's).
fn crate_models(
    discovered: &Discovered,
    batch: &[usize],
    items: &HashMap<usize, FileItems>,
    module_paths: &[Vec<String>],
    deps: Option<&Deps>,
    libs: &mut HashMap<usize, Arc<CrateModel>>,
) -> (Vec<Arc<CrateModel>>, HashMap<usize, usize>) {
    let mut ids: HashMap<(usize, &str), usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut krate_of: Vec<&str> = Vec::new();
    let mut model_of = HashMap::new();
    for &i in batch {
        let f = &discovered.files[i];
        let krates: Vec<&str> = if f.krates.is_empty() {
            vec![""]
        } else {
            f.krates.iter().map(String::as_str).collect()
        };
        for (k, krate) in krates.into_iter().enumerate() {
            let next = members.len();
            let id = *ids.entry((f.package, krate)).or_insert(next);
            if id == next {
                members.push(Vec::new());
                krate_of.push(krate);
            }
            members[id].push(i);
            if k == 0 {
                model_of.insert(i, id);
            }
        }
    }
    // The library first: the package's other crates (bins, tests,
    // examples) use it as a dependency.
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_by_key(|&id| {
        let package = discovered.files[members[id][0]].package;
        !is_lib_crate(&discovered.packages[package], krate_of[id])
    });
    let mut models: Vec<Option<Arc<CrateModel>>> = vec![None; members.len()];
    for id in order {
        let files = &members[id];
        let package = discovered.files[files[0]].package;
        let pkg = &discovered.packages[package];
        let mut model = CrateModel::build(
            files
                .iter()
                .filter_map(|&i| items.get(&i).map(|it| (module_paths[i].as_slice(), it))),
            &pkg.settings.config.extra_offloaders,
        );
        let mut externs = match deps {
            Some(deps) => deps.scan.externs_of(&deps.graph, &pkg.id),
            None => HashMap::new(),
        };
        for (name, other) in &pkg.member_deps {
            if let Some(lib) = libs.get(other) {
                externs.insert(name.clone(), Arc::new(LazyModel::ready(Arc::clone(lib))));
            }
        }
        let lib = is_lib_crate(pkg, krate_of[id]);
        if let (false, Some(own)) = (lib, libs.get(&package)) {
            if let Some(t) = pkg.targets.iter().find(|t| is_lib_crate(pkg, &t.krate)) {
                externs.insert(
                    t.name.replace('-', "_"),
                    Arc::new(LazyModel::ready(Arc::clone(own))),
                );
            }
        }
        if !externs.is_empty() {
            model.set_lazy_externs(externs);
        }
        let model = Arc::new(model);
        if lib {
            libs.insert(package, Arc::clone(&model));
        }
        models[id] = Some(model);
    }
    (models.into_iter().flatten().collect(), model_of)
}

/// Whether `krate` is the package's library.
fn is_lib_crate(package: &crate::discover::Package, krate: &str) -> bool {
    package
        .targets
        .iter()
        .any(|t| t.krate == krate && crate::discover::is_lib_kind(&t.kind))
}

/// Source bytes read per batch of whole packages, and the largest package
/// whose trees are kept, when the machine's memory is not known. A
/// package's syntax trees stay in memory from their first read until its
/// models exist and its files are walked, so the trees held at once are
/// about those of one package of at most this much source; a larger one is
/// parsed again for its walk instead.
const BATCH_BYTES: u64 = 24 << 20;

/// What syn's trees of a file take, as a multiple of its source: the 114
/// MB of `windows-0.61.3`'s bindings, parsed and kept, peak at 5.6 GiB.
const TREE_BYTES_PER_SOURCE_BYTE: u64 = 52;

/// The largest package whose trees are kept: one whose trees fit in a
/// third of the memory this process may use ([`memory_limit`]), and never
/// less than [`BATCH_BYTES`]. Keeping them is what lets a package be parsed
/// once: parsing `windows-0.61.3` twice took 1.3 times as long as parsing
/// it once and keeping its trees. `POLLGUARD_DEBUG_BATCH_BYTES` sets it, for
/// tests (a small value makes every package one too large to keep its
/// trees).
fn batch_bytes() -> u64 {
    if let Some(v) = std::env::var("POLLGUARD_DEBUG_BATCH_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return v;
    }
    memory_limit().map_or(BATCH_BYTES, |m| {
        (m / 3 / TREE_BYTES_PER_SOURCE_BYTE).max(BATCH_BYTES)
    })
}

/// The memory this process may use on Linux: the machine's, or its
/// control group's limit when that is lower (a container's memory limit
/// does not show in `/proc/meminfo`). `None` elsewhere or when unreadable.
fn memory_limit() -> Option<u64> {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| meminfo_total(&t))?;
    let group = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|own| group_limit(&own, |p| std::fs::read_to_string(p).ok()));
    Some(group.map_or(total, |g| g.min(total)))
}

/// The lowest memory limit of the control groups `/proc/self/cgroup`
/// names (v2's `memory.max`, v1's `memory.limit_in_bytes`), each group's
/// ancestors included, since a parent's limit binds its children too.
/// `read` reads a file; `None` when no group sets a limit.
fn group_limit(own: &str, read: impl Fn(&std::path::Path) -> Option<String>) -> Option<u64> {
    let mut lowest: Option<u64> = None;
    for line in own.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (base, file) = if controllers.is_empty() {
            ("/sys/fs/cgroup", "memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            ("/sys/fs/cgroup/memory", "memory.limit_in_bytes")
        } else {
            continue;
        };
        let base = std::path::Path::new(base);
        let mut dir = base.join(path.trim_start_matches('/'));
        loop {
            // "max" (v2) or a number near `u64::MAX` (v1): no limit here.
            if let Some(n) = read(&dir.join(file)).and_then(|t| t.trim().parse::<u64>().ok()) {
                lowest = Some(lowest.map_or(n, |l| l.min(n)));
            }
            if dir == base || !dir.pop() {
                break;
            }
        }
    }
    lowest
}

/// The `MemTotal` line of `/proc/meminfo`, in bytes.
fn meminfo_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let mut words = line["MemTotal:".len()..].split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => n.checked_mul(1024),
        None => Some(n),
        Some(_) => None,
    }
}

/// The discovered files in batches of whole packages (a crate's model
/// needs all its files), in discovery order, each at most `limit` bytes
/// of source ([`batch_bytes`]) unless one package alone is bigger.
fn batches(discovered: &Discovered, sizes: &[u64], limit: u64) -> Vec<Vec<usize>> {
    let mut by_package: Vec<Vec<usize>> = vec![Vec::new(); discovered.packages.len()];
    for (i, f) in discovered.files.iter().enumerate() {
        by_package[f.package].push(i);
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for p in dependencies_first(discovered) {
        let files = std::mem::take(&mut by_package[p]);
        if files.is_empty() {
            continue;
        }
        let bytes: u64 = files.iter().map(|&i| sizes[i]).sum();
        if out.is_empty() || size + bytes > limit {
            out.push(Vec::new());
            size = 0;
        }
        size += bytes;
        out.last_mut().unwrap_or(&mut Vec::new()).extend(files);
    }
    out
}

/// The packages in discovery order, each after the members it depends on,
/// so that their libraries' models exist when its own are built.
fn dependencies_first(discovered: &Discovered) -> Vec<usize> {
    fn visit(d: &Discovered, p: usize, done: &mut [bool], out: &mut Vec<usize>) {
        if std::mem::replace(&mut done[p], true) {
            return;
        }
        for &(_, dep) in &d.packages[p].member_deps {
            visit(d, dep, done, out);
        }
        out.push(p);
    }
    let mut done = vec![false; discovered.packages.len()];
    let mut out = Vec::with_capacity(done.len());
    for p in 0..discovered.packages.len() {
        visit(discovered, p, &mut done, &mut out);
    }
    out
}

/// What every batch shares.
struct BatchCtx<'a> {
    discovered: &'a Discovered,
    /// Runs the workers.
    pool: &'a rayon::ThreadPool,
    threads: usize,
    deps: Option<&'a Deps>,
    /// Each file's size in bytes (0 when it cannot be read).
    sizes: &'a [u64],
    /// See [`batch_bytes`].
    batch_bytes: u64,
}

/// What the batches build, indexed by file.
struct Scanned {
    texts: Vec<Option<Arc<str>>>,
    outcomes: Vec<Outcome>,
    module_paths: Vec<Vec<String>>,
    /// The files that are test modules, declared `#[cfg(test)]`.
    test_modules: HashSet<usize>,
    models: Vec<Arc<CrateModel>>,
    model_of: Vec<usize>,
    /// Each package's library model, for the members that depend on it.
    libs: HashMap<usize, Arc<CrateModel>>,
}

/// One file after its first read: its index, its text (or why it could not
/// be read), its items, and for a file that is walked but could not be
/// parsed, the outcome to report.
/// Last, whether the file is to be parsed and walked again once its
/// package's models exist (a package too large to keep its trees).
type FirstRead = (
    usize,
    Result<Arc<str>, Refusal>,
    Option<FileItems>,
    Option<Outcome>,
    bool,
);

/// Reads, parses and analyses one batch, each file parsed once, one package
/// after another: a worker keeps the trees of the files it parses (syn's
/// trees cannot leave the thread that parsed them) and hands their items to
/// the main thread, which builds a package's crate models as soon as the
/// last of its files is in; the workers walk that package's trees between
/// reads of the next one, so the trees held are those of about one package,
/// not of the batch, and no worker waits for the models but at the end.
fn scan_batch(ctx: &BatchCtx<'_>, batch: &[usize], out: &mut Scanned) -> Result<(), String> {
    let d = ctx.discovered;
    // Each package's files in batch order, which the models are built in.
    let mut packages: Vec<usize> = Vec::new();
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in batch {
        let p = d.files[i].package;
        members
            .entry(p)
            .or_insert_with(|| {
                packages.push(p);
                Vec::new()
            })
            .push(i);
    }
    // Package after package, so that each is complete early; within one,
    // largest first, each worker taking the next file when it is done with
    // one, so that the workers finish together. The packages holding the
    // largest files go first: a 2.7 MB table left for last (crc-fast's
    // `tables.rs`) kept one worker parsing it for 0.3 s while the other
    // had nothing left to do.
    let mut large = HashSet::new();
    let mut sized: Vec<Vec<(u64, usize)>> = Vec::with_capacity(packages.len());
    for p in &packages {
        let mut by_size: Vec<(u64, usize)> =
            members[p].iter().map(|&i| (ctx.sizes[i], i)).collect();
        by_size.sort_unstable_by(|a, b| b.cmp(a));
        if by_size.iter().map(|(size, _)| size).sum::<u64>() > ctx.batch_bytes {
            large.insert(*p);
        }
        sized.push(by_size);
    }
    sized.sort_by_key(|files| std::cmp::Reverse(files.first().map_or(0, |(size, _)| *size)));
    let files: Vec<usize> = sized.into_iter().flatten().map(|(_, i)| i).collect();
    let queue = Queue {
        files,
        next: AtomicUsize::new(0),
        large,
    };
    let workers = ctx
        .threads
        .min(ctx.pool.current_num_threads())
        .clamp(1, batch.len().max(1));
    let started = std::time::Instant::now();
    let (first_tx, first_rx) = std::sync::mpsc::channel::<FirstRead>();
    let mut walkables: Vec<Arc<Walkable>> = Vec::new();
    let (done_tx, done_rx) =
        std::sync::mpsc::channel::<std::thread::Result<Vec<(usize, Outcome)>>>();
    // The workers are the pool's threads, which live on after the batch:
    // a thread that ends hands its freed memory back to the system on the
    // way out (jemalloc's purge, then a TLB flush on every core), which was
    // 5% of the CPU of a run on tokio, paid while the main thread joined it.
    let results: Result<Vec<Vec<(usize, Outcome)>>, String> = ctx.pool.in_place_scope(|scope| {
        let mut go: Vec<std::sync::mpsc::Sender<Arc<Walkable>>> = Vec::new();
        let queue = &queue;
        for _ in 0..workers {
            let (tx, rx) = std::sync::mpsc::channel::<Arc<Walkable>>();
            go.push(tx);
            let first_tx = first_tx.clone();
            let done_tx = done_tx.clone();
            scope.spawn(move |_| {
                let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    worker(ctx, queue, first_tx, &rx)
                }));
                let _ = done_tx.send(out);
            });
        }
        drop(first_tx);
        drop(done_tx);
        let mut left: HashMap<usize, usize> = members.iter().map(|(p, m)| (*p, m.len())).collect();
        let mut items: HashMap<usize, FileItems> = HashMap::new();
        let mut again: HashMap<usize, Vec<(usize, Arc<str>)>> = HashMap::new();
        let mut waiting: Vec<usize> = Vec::new();
        let mut built: HashSet<usize> = HashSet::new();
        // Builds a complete package's models and hands them to the workers.
        let mut build = |package: usize,
                         items: &mut HashMap<usize, FileItems>,
                         again: &mut HashMap<usize, Vec<(usize, Arc<str>)>>,
                         out: &mut Scanned| {
            let t = std::time::Instant::now();
            let files = &members[&package];
            let mut test_modules = HashSet::new();
            tree_module_paths(d, files, items, &mut out.module_paths, &mut test_modules);
            out.test_modules.extend(&test_modules);
            let (models, model_of) =
                crate_models(d, files, items, &out.module_paths, ctx.deps, &mut out.libs);
            drop_later(
                files
                    .iter()
                    .filter_map(|f| items.remove(f))
                    .collect::<Vec<_>>(),
            );
            let w = Arc::new(Walkable {
                module_paths: files
                    .iter()
                    .map(|&i| (i, out.module_paths[i].clone()))
                    .collect(),
                model_of,
                models,
                test_modules,
                again: again.remove(&package).unwrap_or_default(),
                next: AtomicUsize::new(0),
            });
            crate::timing::add("main: models", t.elapsed());
            for tx in &go {
                let _ = tx.send(Arc::clone(&w));
            }
            walkables.push(w);
        };
        for (i, text, it, failed, walk_again) in first_rx.iter() {
            if let (true, Ok(t)) = (walk_again, &text) {
                let package = d.files[i].package;
                again.entry(package).or_default().push((i, Arc::clone(t)));
            }
            match text {
                Ok(t) => out.texts[i] = Some(t),
                Err(r) => out.outcomes[i] = Outcome::Refused(r),
            }
            if let Some(o) = failed {
                out.outcomes[i] = o;
            }
            if let Some(it) = it {
                items.insert(i, it);
            }
            let package = d.files[i].package;
            let Some(n) = left.get_mut(&package) else {
                continue;
            };
            *n -= 1;
            if *n > 0 {
                continue;
            }
            waiting.push(package);
            // A package's models wait for those of the members it depends
            // on in this batch (earlier batches hold the others).
            while let Some(at) = waiting.iter().position(|p| {
                d.packages[*p]
                    .member_deps
                    .iter()
                    .all(|(_, dep)| !members.contains_key(dep) || built.contains(dep))
            }) {
                let package = waiting.remove(at);
                build(package, &mut items, &mut again, out);
                built.insert(package);
            }
        }
        // Every file is in: what still waits (a dependency whose library had
        // no file to read) is built without it.
        for package in std::mem::take(&mut waiting) {
            build(package, &mut items, &mut again, out);
        }
        crate::timing::add("main: reads (wall)", started.elapsed());
        // Every package's models are sent; a worker that still waits (one
        // panicked, and a package never completed) stops.
        drop(go);
        let walked = std::time::Instant::now();
        let joined = done_rx
            .iter()
            .map(|r| r.map_err(|_| "a worker thread panicked".to_owned()))
            .collect::<Result<Vec<_>, String>>();
        crate::timing::add("main: last walks (wall)", walked.elapsed());
        joined
    });
    let results = results?;
    // The workers are done with the models: the closure reads them.
    for w in walkables {
        let Ok(w) = Arc::try_unwrap(w) else { continue };
        let base = out.models.len();
        for (i, m) in w.model_of {
            out.model_of[i] = base + m;
        }
        out.models.extend(w.models);
    }
    for (i, o) in results.into_iter().flatten() {
        out.outcomes[i] = o;
    }
    Ok(())
}

/// The files of a batch in the order they are read, and the next one to
/// take; the packages whose trees are not kept, being larger than
/// [`batch_bytes`].
struct Queue {
    files: Vec<usize>,
    next: AtomicUsize,
    large: HashSet<usize>,
}

impl Queue {
    fn take(&self) -> Option<usize> {
        self.files
            .get(self.next.fetch_add(1, Ordering::Relaxed))
            .copied()
    }
}

/// What a worker needs to walk the files of one package: their module paths
/// and the package's crate models; for a package too large to keep its
/// trees, the files to parse again and walk, and the next one to take.
struct Walkable {
    module_paths: HashMap<usize, Vec<String>>,
    /// The files that are test modules (see [`Options::test_module`]).
    test_modules: HashSet<usize>,
    model_of: HashMap<usize, usize>,
    models: Vec<Arc<CrateModel>>,
    again: Vec<(usize, Arc<str>)>,
    next: AtomicUsize,
}

/// One worker of a batch: reads and parses files, and walks the trees it
/// keeps as soon as their package's models arrive.
fn worker(
    ctx: &BatchCtx<'_>,
    queue: &Queue,
    first_tx: std::sync::mpsc::Sender<FirstRead>,
    go: &std::sync::mpsc::Receiver<Arc<Walkable>>,
) -> Vec<(usize, Outcome)> {
    let d = ctx.discovered;
    let mut kept: Vec<(usize, Arc<str>, syn::File)> = Vec::new();
    let mut out: Vec<(usize, Outcome)> = Vec::new();
    while let Some(i) = queue.take() {
        while let Ok(w) = go.try_recv() {
            walk_kept(ctx, &w, &mut kept, &mut out);
        }
        let text = match crate::timing::time("worker: read", || source::read(&d.files[i].path)) {
            Ok(t) => Arc::<str>::from(t),
            Err(r) => {
                let _ = first_tx.send((i, Err(r), None, None, false));
                continue;
            }
        };
        match crate::timing::time("worker: parse", || parse_checked(&text)) {
            Ok(file) => {
                let items = crate::timing::time("worker: lower", || {
                    std::panic::catch_unwind(AssertUnwindSafe(|| lower_file(&file))).ok()
                });
                // A package larger than a batch would hold GBs of trees
                // until its models exist: its files are parsed again
                // for the walk instead, which bounds memory by a file.
                let keep = !queue.large.contains(&d.files[i].package);
                if keep {
                    kept.push((i, Arc::clone(&text), file));
                } else {
                    drop(file);
                    if kept.is_empty() {
                        proc_macro2::extra::invalidate_current_thread_spans();
                    }
                }
                let _ = first_tx.send((i, Ok(text), items, None, !keep));
            }
            Err(o) => {
                let _ = first_tx.send((i, Ok(text), None, Some(*o), false));
            }
        }
    }
    drop(first_tx);
    // Until the main thread has sent every package's models: a large
    // package's files are walked by whichever worker is free.
    while let Ok(w) = crate::timing::time("worker: wait", || go.recv()) {
        walk_kept(ctx, &w, &mut kept, &mut out);
    }
    out
}

/// Walks file `i` with its package's models.
fn walk_one(d: &Discovered, w: &Walkable, i: usize, text: &str, file: &syn::File) -> Outcome {
    let f = &d.files[i];
    let options = Options {
        config: &d.packages[f.package].settings.config,
        module_path: w.module_paths.get(&i).cloned().unwrap_or_default(),
        test_module: w.test_modules.contains(&i),
    };
    let model = w
        .model_of
        .get(&i)
        .and_then(|&m| w.models.get(m))
        .map(|m| &**m);
    crate::timing::time("worker: walk", || {
        analyse_parsed(file, text, &options, model)
    })
}

/// Walks the files of a package too large to keep its trees, parsing them
/// again, then the kept trees of the package `w` is for, dropping each right
/// after its walk, while it is still in the cache.
fn walk_kept(
    ctx: &BatchCtx<'_>,
    w: &Walkable,
    kept: &mut Vec<(usize, Arc<str>, syn::File)>,
    out: &mut Vec<(usize, Outcome)>,
) {
    let d = ctx.discovered;
    while let Some((i, text)) = w.again.get(w.next.fetch_add(1, Ordering::Relaxed)) {
        // It parsed in the first read: the same text parses the same way.
        let outcome = match crate::timing::time("worker: parse", || parse_checked(text)) {
            Ok(file) => {
                let outcome = walk_one(d, w, *i, text, &file);
                crate::timing::time("worker: drop trees", || drop(file));
                outcome
            }
            Err(o) => *o,
        };
        out.push((*i, outcome));
        if kept.is_empty() {
            proc_macro2::extra::invalidate_current_thread_spans();
        }
    }
    let (ready, rest): (Vec<_>, Vec<_>) = std::mem::take(kept)
        .into_iter()
        .partition(|(i, _, _)| w.module_paths.contains_key(i));
    *kept = rest;
    if ready.is_empty() {
        return;
    }
    for (i, text, file) in ready {
        let outcome = walk_one(d, w, i, &text, &file);
        crate::timing::time("worker: drop trees", || drop(file));
        out.push((i, outcome));
    }
    // No tree is left on this thread: its span table can go.
    if kept.is_empty() {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
}

/// What `text.lines().count()` says, by counting newline bytes: the
/// main thread counts every file of the run, and this runs at memory speed
/// (`lines()` was 13 ms at 0.5 M lines).
fn line_count(text: &str) -> usize {
    let newlines = text.bytes().filter(|&b| b == b'\n').count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Drops `x` on a thread of its own. A crate's lowered items, analyses
/// and models are millions of small allocations, freed one by one: off the
/// main thread, that runs while it goes on (building the next models,
/// closing the workspace, printing) on a core the workers have left.
///
/// One thread does it for the whole process, fed by a channel: a thread
/// per drop paid a thread's start and its exit purge each time (once per
/// package).
fn drop_later<T: Send + 'static>(x: T) {
    type Garbage = Box<dyn Send>;
    static DROPPER: std::sync::OnceLock<Option<std::sync::mpsc::Sender<Garbage>>> =
        std::sync::OnceLock::new();
    let dropper = DROPPER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Garbage>();
        std::thread::Builder::new()
            .name("pollguard-drop".to_owned())
            .spawn(move || rx.into_iter().for_each(drop))
            .ok()
            .map(|_| tx)
    });
    // When no thread could be started, `x` is dropped here.
    if let Some(tx) = dropper {
        let _ = tx.send(Box::new(x));
    }
}

/// Scans the discovered files.
pub fn scan(discovered: &Discovered, opts: &ScanOptions) -> Result<ScanResult, String> {
    let pool = pool(opts.threads)?;
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        opts.threads
    };
    // Each file's size, asked once: it orders the reads and sizes the batches.
    let sizes: Vec<u64> = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
            .collect()
    });
    let ctx = BatchCtx {
        discovered,
        pool,
        threads,
        deps: opts.deps.as_deref(),
        sizes: &sizes,
        batch_bytes: batch_bytes(),
    };
    let n = discovered.files.len();
    let mut scanned = Scanned {
        texts: vec![None; n],
        outcomes: (0..n).map(|_| Outcome::Skipped).collect(),
        module_paths: discovered
            .files
            .iter()
            .map(|f| f.module_path.clone())
            .collect(),
        test_modules: HashSet::new(),
        models: Vec::new(),
        model_of: vec![usize::MAX; n],
        libs: HashMap::new(),
    };
    let t = std::time::Instant::now();
    for batch in batches(discovered, &sizes, ctx.batch_bytes) {
        scan_batch(&ctx, &batch, &mut scanned)?;
    }
    crate::timing::add("main: batches", t.elapsed());
    let Scanned {
        texts,
        outcomes,
        models,
        model_of,
        libs,
        test_modules,
        ..
    } = scanned;
    drop(libs);
    let work: Vec<Work> = texts
        .into_iter()
        .zip(outcomes)
        .map(|(text, outcome)| Work { text, outcome })
        .collect();

    let t = std::time::Instant::now();
    let mut result = ScanResult {
        files: discovered
            .files
            .iter()
            .zip(&work)
            .map(|(f, w)| ScannedFile {
                display: f.display.clone(),
                text: w.text.clone(),
                dependency: false,
            })
            .collect(),
        ..ScanResult::default()
    };
    result.lines = work
        .iter()
        .filter_map(|w| w.text.as_deref())
        .map(line_count)
        .sum();
    let mut analyses: Vec<Option<&FileAnalysis>> = Vec::with_capacity(work.len());
    for (i, w) in work.iter().enumerate() {
        let mut fa = None;
        match &w.outcome {
            Outcome::Analysed(a) => {
                result.parsed += 1;
                fa = Some(a);
            }
            Outcome::Skipped => {}
            Outcome::ParseError { pos, message } => result.problems.push(Problem {
                file: i,
                pos: Some(*pos),
                message: format!("cannot parse: {message}"),
                fatal: false,
            }),
            Outcome::Refused(r) => result.problems.push(Problem {
                file: i,
                pos: None,
                message: r.message(),
                fatal: matches!(r, Refusal::Io(_)),
            }),
            Outcome::Panicked(m) => result.problems.push(Problem {
                file: i,
                pos: None,
                message: format!(
                    "skipped: pollguard's analysis panicked on this file ({m}); please report it with the file"
                ),
                fatal: false,
            }),
        }
        analyses.push(fa);
    }

    // Transitive findings, with the escape hatches they used.
    let mut units: Vec<crate::transitive::UnitIn<'_>> = discovered
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| analyses[i].map(|a| (i, f, a)))
        .flat_map(|(i, f, a)| {
            let model = models.get(model_of[i]).map(|m| &**m);
            let test = crate::context::is_test_file(discovered, i) || test_modules.contains(&i);
            f.krates.iter().map(move |k| crate::transitive::UnitIn {
                krate: k,
                file: i,
                analysis: a,
                settings: &discovered.packages[f.package].settings,
                model,
                answers: None,
                lazy: None,
                dependency: false,
                lib: "",
                kind: pollguard_analysis::transitive::CrateKind::Other,
                test,
            })
        })
        .collect();
    // Dependencies' own findings are never reported: only their fns'
    // summaries are read, so their settings are inert.
    let dep_settings = Arc::new(crate::settings::Settings {
        config: Config::default(),
        skip: None,
        tests: false,
        min_confidence: pollguard_analysis::Confidence::Likely,
        contexts: Vec::new(),
    });
    // The dependency fns the workspace reaches, from the view; or, when it
    // cannot answer, every dependency fn (read again if this run did not).
    let dep_fns = std::time::Instant::now();
    let view_part = opts
        .deps
        .as_deref()
        .and_then(|deps| view_part(deps, &units));
    if let (Some(deps), Some((part, found))) = (opts.deps.as_deref(), &view_part) {
        let (ws_units, ws_files) = (units.len(), result.files.len());
        for (c, display, analysis) in &part.units {
            let file = result.files.len();
            result.files.push(ScannedFile {
                display: display.clone(),
                text: None,
                dependency: true,
            });
            units.push(crate::transitive::UnitIn {
                krate: deps.scan.keys.get(c).map_or("", String::as_str),
                file,
                analysis,
                settings: &dep_settings,
                model: None,
                answers: part.answers.get(c),
                lazy: deps.scan.models.get(c).map(|m| &**m),
                dependency: true,
                lib: &deps.graph.crates[*c].lib_name,
                kind: deps.graph.crates[*c].kind(),
                test: false,
            });
        }
        // Dependency lookups find these workspace fns: what the view holds
        // is still the answer if none of them reaches anything.
        if !found.is_empty() && ws_fn_reaches(&units, ws_units, found) {
            units.truncate(ws_units);
            result.files.truncate(ws_files);
        }
    }
    crate::timing::add("main: dependency fns", dep_fns.elapsed());
    let no_dep_units = units.iter().all(|u| !u.dependency);
    let full = match opts.deps.as_deref() {
        Some(deps) if no_dep_units && deps.scan.units.is_empty() => {
            crate::timing::add_count("deps: view could not answer", 1);
            deps.scan.full(&deps.graph, pool)
        }
        _ => None,
    };
    if let Some(deps) = opts.deps.as_deref().filter(|_| no_dep_units) {
        let scan = full.as_ref().unwrap_or(&deps.scan);
        for u in &scan.units {
            let file = result.files.len();
            result.files.push(ScannedFile {
                display: u.display.clone(),
                text: None,
                dependency: true,
            });
            units.push(crate::transitive::UnitIn {
                krate: deps.scan.keys.get(&u.krate).map_or("", String::as_str),
                file,
                analysis: &u.analysis,
                settings: &dep_settings,
                model: None,
                answers: None,
                lazy: scan.models.get(&u.krate).map(|m| &**m),
                dependency: true,
                lib: &deps.graph.crates[u.krate].lib_name,
                kind: deps.graph.crates[u.krate].kind(),
                test: false,
            });
        }
    }
    let (transitive, used_hatches) = crate::timing::time("main: transitive closure", || {
        crate::transitive::run(&units)
    });
    let used_hatches: HashSet<(usize, usize)> = used_hatches.into_iter().collect();

    // The workspace's own offloaders, named as other crates see them: a
    // closure handed to one of them is sync, wherever the fn is defined.
    let global = |krate: &str, path: &str| match path.strip_prefix("crate::") {
        Some(rest) => format!("{krate}::{rest}"),
        None => path.to_owned(),
    };
    let mut offloaders: HashSet<String> = HashSet::new();
    // Every file of a crate holds the crate's one list: read it once.
    let mut seen: HashSet<(&str, *const String)> = HashSet::new();
    for (i, a) in analyses.iter().enumerate() {
        if let Some(a) = a {
            for k in &discovered.files[i].krates {
                if seen.insert((k, a.offloaders.as_ptr())) {
                    offloaders.extend(a.offloaders.iter().map(|o| global(k, o)));
                }
            }
        }
    }
    // Whether a fn named in `file` is one of `set`, by any crate the file
    // belongs to.
    let named_in = |file: usize, name: Option<&str>, set: &HashSet<String>| {
        name.is_some_and(|n| {
            discovered.files[file]
                .krates
                .iter()
                .any(|k| set.contains(&global(k, n)))
        })
    };
    // Async fns that only futures on GLib's main loop await, directly or
    // through other such fns: what they do does not block a Tokio worker.
    let foreign_only = foreign_only(&analyses, discovered, &global);
    // A finding in a closure handed to one of the offloaders, direct or
    // through a helper the closure calls, does not hold; nor one in such
    // an async fn.
    let offloaded = |file: usize, f: &Finding<Pos>| {
        named_in(file, f.inside_closure_of.as_deref(), &offloaders)
            || named_in(file, f.async_fn.as_deref(), &foreign_only)
    };
    let mut per_file: HashMap<usize, Vec<_>> = HashMap::new();
    for (i, a) in analyses.iter().enumerate() {
        if let Some(a) = a {
            per_file.entry(i).or_default().extend(
                a.findings
                    .iter()
                    .filter(|f| !offloaded(i, f))
                    .map(|f| (f.clone(), Vec::new())),
            );
        }
    }
    // A call the catalog names is reported once, by its entry: a chain
    // through the dependency's source to another root (redis's
    // `get_connection` down to `TcpStream::connect_timeout`) adds nothing
    // but a second finding on the same call.
    let direct: HashSet<(usize, Pos)> = per_file
        .iter()
        .flat_map(|(&i, fs)| fs.iter().map(move |(f, _)| (i, f.span)))
        .collect();
    for (file, mut f, chain) in transitive {
        if offloaded(file, &f) || direct.contains(&(file, f.span)) {
            continue;
        }
        let names = crate::transitive::chain_names(&f.call, &chain);
        f.notes = vec![match chain.last() {
            Some(last) => format!(
                "{names} at {}:{}",
                result.files[last.file].display, last.pos.line
            ),
            None => names,
        }];
        per_file.entry(file).or_default().push((f, chain));
    }

    for (i, a) in analyses.iter().enumerate() {
        let Some(a) = a else { continue };
        let settings = &discovered.packages[discovered.files[i].package].settings;
        let mut comment_used = vec![false; a.comments.len()];
        for (f, chain) in per_file.remove(&i).unwrap_or_default() {
            if let Some(c) = a
                .comments
                .iter()
                .position(|c| c.covers_line == f.span.line && c.allow.covers(f.rule))
            {
                comment_used[c] = true;
                continue;
            }
            if f.confidence < settings.min_confidence {
                continue;
            }
            let message = f.message();
            result.diags.push(Diag {
                kind: Kind(f.rule),
                file: i,
                start: f.span,
                end: f.end_span,
                level: f.level,
                confidence: f.confidence,
                call: Some(f.call),
                message,
                help: Some(f.help),
                notes: f.notes,
                chain,
                extra: Default::default(),
            });
        }
        for (start, end, message) in &a.errors {
            result.diags.push(invalid(i, *start, *end, message.clone()));
        }
        for (c, used) in a.comments.iter().zip(&comment_used) {
            let start = Pos {
                line: c.allow.line,
                column: c.allow.column,
            };
            let end = Pos {
                line: c.allow.line,
                column: c.end_column,
            };
            if let Some(e) = &c.allow.error {
                result.diags.push(invalid(i, start, end, e.clone()));
            } else if opts.report_unused_allows && !used {
                result.diags.push(unused(
                    i,
                    start,
                    end,
                    "`pollguard: allow` comment suppresses nothing".to_owned(),
                ));
            }
        }
        if opts.report_unused_allows {
            for (h, hatch) in a.hatches.iter().enumerate() {
                if !hatch.used && !used_hatches.contains(&(i, h)) {
                    result.diags.push(unused(
                        i,
                        hatch.start,
                        hatch.end,
                        "`allow_blocking` suppresses nothing".to_owned(),
                    ));
                }
            }
        }
    }
    result
        .diags
        .sort_by(|a, b| (a.file, a.start, a.kind.code()).cmp(&(b.file, b.start, b.kind.code())));
    result
        .diags
        .dedup_by(|a, b| a.file == b.file && a.start == b.start && a.kind == b.kind);
    result.problems.sort_by_key(|p| p.file);
    crate::timing::add("main: closure, diags", t.elapsed());
    drop(analyses);
    drop(units);
    result.test_files = test_modules;
    drop_later((work, models));
    Ok(result)
}

/// The dependency side of the closure from the view of the dependencies,
/// for the workspace's `units`, and the workspace keys dependency lookups
/// find (see [`crate::depview::View::part`]); `None` when the view cannot
/// answer for this workspace.
fn view_part(
    deps: &Deps,
    units: &[crate::transitive::UnitIn<'_>],
) -> Option<(crate::depview::DepPart, HashSet<(String, String)>)> {
    let view = deps.scan.view.as_ref()?;
    let mut ws_keys: Vec<(&str, &str)> = Vec::new();
    let mut lookups: Vec<(String, String)> = Vec::new();
    for u in units {
        for f in &u.analysis.fns {
            ws_keys.push(pollguard_analysis::transitive::key(u.krate, &f.path));
        }
        let calls = u.analysis.fns.iter().flat_map(|f| &f.calls);
        for call in calls.chain(&u.analysis.async_calls) {
            for x in crate::depview::lookup_paths(&call.path) {
                let (a, b) = pollguard_analysis::transitive::key(u.krate, &x);
                lookups.push((a.to_owned(), b.to_owned()));
                if let Some(found) = u.model.and_then(|m| m.resolve_extern(&x)) {
                    lookups.push(found);
                }
            }
        }
    }
    let (part, found) = view.part(
        &ws_keys,
        lookups.iter().map(|(a, b)| (a.as_str(), b.as_str())),
    )?;
    let found = found
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
    Some((part, found))
}

/// Whether a fn of the first `ws_units` units keyed as one of `keys`
/// reaches anything in the closure of `units`.
fn ws_fn_reaches(
    units: &[crate::transitive::UnitIn<'_>],
    ws_units: usize,
    keys: &HashSet<(String, String)>,
) -> bool {
    let reach = crate::transitive::reach(units);
    let mut id = 0;
    for u in &units[..ws_units] {
        for f in &u.analysis.fns {
            let (a, b) = pollguard_analysis::transitive::key(u.krate, &f.path);
            if keys.contains(&(a.to_owned(), b.to_owned()))
                && reach.get(id).is_none_or(|r| r.active)
            {
                return true;
            }
            id += 1;
        }
    }
    false
}

fn invalid(file: usize, start: Pos, end: Pos, message: String) -> Diag {
    Diag {
        kind: Kind::INVALID_ALLOW,
        file,
        start,
        end,
        level: Level::Deny,
        confidence: Confidence::Certain,
        call: None,
        message,
        help: Some(Kind::INVALID_ALLOW.help().to_owned()),
        notes: Vec::new(),
        chain: Vec::new(),
        extra: Default::default(),
    }
}

fn unused(file: usize, start: Pos, end: Pos, message: String) -> Diag {
    Diag {
        kind: Kind::UNUSED_ALLOW,
        file,
        start,
        end,
        level: Level::Warn,
        confidence: Confidence::Certain,
        call: None,
        message,
        help: Some(Kind::UNUSED_ALLOW.help().to_owned()),
        notes: Vec::new(),
        chain: Vec::new(),
        extra: Default::default(),
    }
}

/// The fuzz target's body: `text` as the crate root and as module
/// `crate::m` of one crate, analysed and followed through the transitive
/// closure. Panics when the analysis panicked, so that the fuzzer sees it.
#[doc(hidden)]
pub fn fuzz_one(text: &str) {
    let settings = Arc::new(
        crate::settings::build(None, None, &Default::default())
            .unwrap_or_else(|e| panic!("default settings: {e}")),
    );
    let mut analyses = Vec::new();
    for module_path in [
        vec!["crate".to_owned()],
        vec!["crate".to_owned(), "m".to_owned()],
    ] {
        let options = Options {
            config: &settings.config,
            module_path,
            test_module: false,
        };
        match analyze_source(text, &options) {
            Outcome::Analysed(a) => analyses.push(a),
            Outcome::Panicked(m) => panic!("the analysis panicked: {m}"),
            _ => return,
        }
    }
    let units: Vec<crate::transitive::UnitIn<'_>> = analyses
        .iter()
        .enumerate()
        .map(|(file, analysis)| crate::transitive::UnitIn {
            krate: "fuzz",
            file,
            analysis,
            settings: &settings,
            model: None,
            answers: None,
            lazy: None,
            dependency: false,
            lib: "",
            kind: pollguard_analysis::transitive::CrateKind::Other,
            test: false,
        })
        .collect();
    let _ = crate::transitive::run(&units);
}

/// The async fns (named as [`scan`]'s `global` names them) that only
/// futures handed to GLib's main loop call, directly or through other such
/// fns: the greatest such set, kept to what a foreign call reaches.
fn foreign_only(
    analyses: &[Option<&FileAnalysis>],
    discovered: &Discovered,
    global: &dyn Fn(&str, &str) -> String,
) -> HashSet<String> {
    let mut roots: HashSet<String> = HashSet::new();
    // Callee -> its callers: `None` for a call outside an async fn's own
    // body (a spawned block, a sync fn, `main`), which Tokio may drive.
    let mut callers: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for (i, a) in analyses.iter().enumerate() {
        let Some(a) = a else { continue };
        for k in &discovered.files[i].krates {
            roots.extend(a.foreign_calls.iter().map(|c| global(k, c)));
            // A future made and not awaited here (`tokio::spawn(f())`) is
            // polled wherever it is sent.
            for c in &a.async_calls {
                callers.entry(global(k, &c.path)).or_default().push(None);
            }
            for (callee, caller) in &a.awaits {
                callers
                    .entry(global(k, callee))
                    .or_default()
                    .push(Some(global(k, caller)));
            }
            for c in a.fns.iter().flat_map(|f| &f.calls) {
                callers.entry(global(k, &c.path)).or_default().push(None);
            }
        }
    }
    if roots.is_empty() {
        return HashSet::new();
    }
    let mut set: HashSet<String> = roots.iter().chain(callers.keys()).cloned().collect();
    loop {
        let out: Vec<String> = set
            .iter()
            .filter(|f| {
                callers.get(*f).is_some_and(|cs| {
                    cs.iter()
                        .any(|c| c.as_ref().is_none_or(|c| !set.contains(c)))
                })
            })
            .cloned()
            .collect();
        if out.is_empty() {
            break;
        }
        for f in out {
            set.remove(&f);
        }
    }
    // Only what a foreign future reaches: a cycle of fns that call each
    // other and nothing else would stay in the set above.
    let mut reached: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = roots.into_iter().filter(|r| set.contains(r)).collect();
    while let Some(f) = queue.pop() {
        if !reached.insert(f.clone()) {
            continue;
        }
        for (callee, cs) in &callers {
            if set.contains(callee) && cs.iter().any(|c| c.as_deref() == Some(f.as_str())) {
                queue.push(callee.clone());
            }
        }
    }
    reached
}

/// Reads and parses every file in the same parallel way as [`scan`], and
/// nothing else: the floor the benchmark compares against. Returns the
/// number of files parsed and of lines read.
pub fn parse_only(discovered: &Discovered, threads: usize) -> Result<(usize, usize), String> {
    let pool = pool(threads)?;
    let counts: Vec<(usize, usize)> = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|f| {
                let Ok(text) = source::read(&f.path) else {
                    return (0, 0);
                };
                let ok = syn::parse_file(&text).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                (usize::from(ok), text.lines().count())
            })
            .collect()
    });
    Ok(counts
        .into_iter()
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_total_is_read_in_bytes() {
        let meminfo = "MemTotal:       24576000 kB\nMemFree:        20000000 kB\n";
        assert_eq!(meminfo_total(meminfo), Some(24_576_000 * 1024));
        assert_eq!(meminfo_total("MemFree: 1 kB\n"), None);
        assert_eq!(meminfo_total("MemTotal: many kB\n"), None);
        assert_eq!(meminfo_total("MemTotal: 5 MB\n"), None);
    }

    #[test]
    fn a_control_group_limit_is_found_up_its_ancestors() {
        let files = |limits: &'static [(&'static str, &'static str)]| {
            move |p: &std::path::Path| {
                limits
                    .iter()
                    .find(|(f, _)| std::path::Path::new(f) == p)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let v2 = files(&[
            ("/sys/fs/cgroup/a/b/memory.max", "max\n"),
            ("/sys/fs/cgroup/a/memory.max", "4294967296\n"),
        ]);
        assert_eq!(group_limit("0::/a/b\n", v2), Some(4 << 30));
        let v1 = files(&[
            (
                "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                "9223372036854771712",
            ),
            (
                "/sys/fs/cgroup/memory/job/memory.limit_in_bytes",
                "2147483648",
            ),
        ]);
        assert_eq!(
            group_limit("4:memory:/job\n1:cpu:/\n0::/\n", v1),
            Some(2 << 30)
        );
        assert_eq!(group_limit("0::/\n", files(&[])), None);
        assert_eq!(group_limit("garbage", files(&[])), None);
    }

    #[test]
    fn line_count_agrees_with_lines() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "\r\n",
            "x\n\ny",
        ] {
            assert_eq!(line_count(text), text.lines().count(), "{text:?}");
        }
    }

    /// Code just under the nesting limit, in its deepest shapes, on a worker
    /// stack: parsed and analysed without overflowing.
    #[test]
    fn deepest_accepted_code_fits_the_stack() {
        let n = source::MAX_NESTING - 10;
        let cases = [
            format!(
                "async fn f() {{ {}std::thread::sleep(d){} }}",
                "(".repeat(n),
                ")".repeat(n)
            ),
            format!("async fn f() {{ {}", "{".repeat(n)) + &"}".repeat(n) + "}",
            format!("async fn f() {{ let x = {}true; }}", "!".repeat(n)),
            format!("async fn f() {{ let x = 1{}; }}", " + 1".repeat(n)),
            format!("async fn f() {{ let x = a{}; }}", ".b()".repeat(n / 2)),
            format!(
                "async fn f() {{ if a {{}}{} }}",
                " else if a {}".repeat(n / 3)
            ),
            format!(
                "async fn f() -> {}u8{} {{ }}",
                "Vec<".repeat(n / 2),
                ">".repeat(n / 2)
            ),
            format!("async fn f() {{ let x = {}1; }}", "|| ".repeat(n / 2)),
        ];
        let stack = std::env::var("POLLGUARD_TEST_STACK")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(source::STACK_SIZE);
        for (i, src) in cases.into_iter().enumerate() {
            let outcome = std::thread::Builder::new()
                .stack_size(stack)
                .spawn(move || {
                    let config = Config::new();
                    analyze_source(&src, &Options::new(&config))
                })
                .unwrap()
                .join()
                .unwrap();
            assert!(
                matches!(outcome, Outcome::Analysed(_) | Outcome::ParseError { .. }),
                "case {i}: {outcome:?}"
            );
        }
    }
}
