//! Reading, parsing and analysing files in parallel, then the transitive
//! closure and the suppressions, into [`Diag`]s.
//!
//! syn's trees and the engine's [`Analysis`] hold `proc_macro2` spans, which
//! are tied to the thread that parsed the file. So each worker turns its
//! file's analysis into an owned, span-free [`FileAnalysis`] (lines and
//! columns) before moving on, and clears its thread's span table so memory
//! stays flat however many files it reads.

use crate::diag::{ChainLoc, Diag, Kind, Pos, Problem};
use crate::discover::{Discovered, SourceFile};
use crate::source::{self, Refusal};
use pollguard_analysis::catalog::Matcher;
use pollguard_analysis::transitive::Summaries;
use pollguard_analysis::{
    Analysis, BlockingCall, CommentAllow, Confidence, Config, FnSummary, Level, LocalCall, Options,
    RULES, Rule, analyze_file, parse_comment_allows,
};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// A blocking call in async context, without spans.
#[derive(Clone, Debug)]
pub struct OwnedFinding {
    /// The rule.
    pub rule: &'static Rule,
    /// The resolved callee.
    pub call: String,
    /// The call as written.
    pub display: String,
    /// First character.
    pub start: Pos,
    /// One past the last character.
    pub end: Pos,
    /// How sure.
    pub confidence: Confidence,
    /// The level.
    pub level: Level,
    /// What to do instead.
    pub help: String,
    /// Extra lines.
    pub notes: Vec<String>,
    /// The message.
    pub message: String,
    /// The workspace fn whose closure argument holds the call: if that fn
    /// turns out to be an offloader, the finding does not hold.
    pub inside_closure_of: Option<String>,
}

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
    pub findings: Vec<OwnedFinding>,
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
    /// The file's own offloaders (`fn asyncify(f) { spawn_blocking(f) }`).
    pub offloaders: Vec<String>,
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
}

/// What became of one file.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Parsed and analysed.
    Analysed(FileAnalysis),
    /// Not parsed: the pre-filter showed it cannot contribute (yet).
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
    if let Err(r) = source::check_nesting(text) {
        return Outcome::Refused(r);
    }
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let file = match syn::parse_file(text) {
            Ok(f) => f,
            Err(e) => {
                return Outcome::ParseError {
                    pos: pos(e.span().start()),
                    message: e.to_string(),
                };
            }
        };
        let analysis = analyze_file(&file, options);
        let mut owned = own(&analysis);
        owned.comments = comments(text);
        Outcome::Analysed(owned)
    }));
    // Spans of this file are dead from here on; free the thread's table.
    proc_macro2::extra::invalidate_current_thread_spans();
    match result {
        Ok(outcome) => outcome,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Outcome::Panicked(msg)
        }
    }
}

fn own_call(c: &LocalCall) -> LocalCall<Pos> {
    LocalCall {
        path: c.path.clone(),
        display: c.display.clone(),
        span: pos(c.span.start()),
        end_span: pos(c.end_span.end()),
        awaited: c.awaited,
        hatches: c.hatches.clone(),
    }
}

fn own(a: &Analysis) -> FileAnalysis {
    FileAnalysis {
        findings: a
            .findings
            .iter()
            .map(|f| OwnedFinding {
                rule: f.rule,
                call: f.call.clone(),
                display: f.display.clone(),
                start: pos(f.span.start()),
                end: pos(f.end_span.end()),
                confidence: f.confidence,
                level: f.level,
                help: f.help.clone(),
                notes: f.notes.clone(),
                message: f.message(),
                inside_closure_of: f.inside_closure_of.clone(),
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
                    })
                    .collect(),
                calls: f.calls.iter().map(own_call).collect(),
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
        offloaders: a.offloaders.clone(),
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
    /// Parse every file, even those the pre-filter would skip.
    pub no_prefilter: bool,
    /// Worker threads; 0 for one per core.
    pub threads: usize,
}

/// A scanned file.
#[derive(Clone, Debug)]
pub struct ScannedFile {
    /// How messages name it.
    pub display: String,
    /// Its text, when it could be read.
    pub text: Option<Arc<str>>,
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
}

/// Builds the thread pool that parses: big stacks, since syn recurses.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(source::STACK_SIZE)
        .thread_name(|i| format!("pollguard-{i}"))
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))
}

/// Identifiers that make a file worth parsing: `async`, the last segment of
/// every catalog path and method, and pollguard's own markers.
fn trigger_names(discovered: &Discovered) -> HashSet<String> {
    // An offloader wrapper (`fn run<F>(f: F) { spawn_blocking(f) }`) needs
    // no `async` to matter: its name keeps the file in.
    let mut names: HashSet<String> = [
        "async",
        "pollguard",
        "allow_blocking",
        "blocking",
        "spawn_blocking",
        "block_in_place",
        "unblock",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for rule in RULES {
        for m in rule.matchers {
            let name = match m {
                Matcher::Path(p) | Matcher::Prefix(p) => last_segment(p),
                Matcher::Method { name, .. } => name,
            };
            names.insert(name.to_owned());
        }
    }
    for p in &discovered.packages {
        for x in &p.settings.config.extra_blocking {
            names.insert(last_segment(&x.path).to_owned());
        }
    }
    names
}

fn last_segment(p: &str) -> &str {
    p.rsplit("::").next().unwrap_or(p)
}

/// Whether `text` has an identifier in `names`.
fn mentions(text: &str, names: &HashSet<String>) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if names.contains(&text[start..i]) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

struct Work {
    text: Option<Arc<str>>,
    outcome: Outcome,
}

fn analyse_one(f: &SourceFile, text: &str, config: &Config) -> Outcome {
    let options = Options {
        config,
        module_path: f.module_path.clone(),
    };
    analyze_source(text, &options)
}

/// Scans the discovered files.
pub fn scan(discovered: &Discovered, opts: &ScanOptions) -> Result<ScanResult, String> {
    let pool = pool(opts.threads)?;
    let names = trigger_names(discovered);
    let config_of = |f: &SourceFile| &discovered.packages[f.package].settings.config;
    let mut work: Vec<Work> = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|f| {
                let text = match source::read(&f.path) {
                    Ok(t) => t,
                    Err(r) => {
                        return Work {
                            text: None,
                            outcome: Outcome::Refused(r),
                        };
                    }
                };
                let outcome = if opts.no_prefilter || mentions(&text, &names) {
                    analyse_one(f, &text, config_of(f))
                } else {
                    Outcome::Skipped
                };
                Work {
                    text: Some(Arc::from(text)),
                    outcome,
                }
            })
            .collect()
    });

    // A skipped file has no async code and no blocking call, but its sync
    // fns may call a blocking fn of another file and so carry a chain. Parse
    // the skipped files that mention the name of a fn that may block, until
    // no new file is pulled in. Names over-approximate paths: extra parses,
    // never a missed chain.
    loop {
        let blocking = maybe_blocking_names(&work);
        let wanted: Vec<usize> = work
            .iter()
            .enumerate()
            .filter(|(_, w)| matches!(w.outcome, Outcome::Skipped))
            .filter(|(_, w)| w.text.as_deref().is_some_and(|t| mentions(t, &blocking)))
            .map(|(i, _)| i)
            .collect();
        if wanted.is_empty() {
            break;
        }
        let outcomes: Vec<(usize, Outcome)> = pool.install(|| {
            wanted
                .par_iter()
                .map(|&i| {
                    let f = &discovered.files[i];
                    let text = work[i].text.as_deref().unwrap_or("");
                    (i, analyse_one(f, text, config_of(f)))
                })
                .collect()
        });
        for (i, o) in outcomes {
            work[i].outcome = o;
        }
    }

    let mut result = ScanResult {
        files: discovered
            .files
            .iter()
            .zip(&work)
            .map(|(f, w)| ScannedFile {
                display: f.display.clone(),
                text: w.text.clone(),
            })
            .collect(),
        ..ScanResult::default()
    };
    result.lines = work
        .iter()
        .filter_map(|w| w.text.as_deref())
        .map(|t| t.lines().count())
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
    let units: Vec<crate::transitive::UnitIn<'_>> = discovered
        .files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| analyses[i].map(|a| (i, f, a)))
        .flat_map(|(i, f, a)| {
            f.krates.iter().map(move |k| crate::transitive::UnitIn {
                krate: k,
                file: i,
                analysis: a,
                settings: &discovered.packages[f.package].settings,
            })
        })
        .collect();
    let (transitive, used_hatches) = crate::transitive::run(&units);
    let used_hatches: HashSet<(usize, usize)> = used_hatches.into_iter().collect();

    // The workspace's own offloaders, named as other crates see them: a
    // closure handed to one of them is sync, wherever the fn is defined.
    let global = |krate: &str, path: &str| match path.strip_prefix("crate::") {
        Some(rest) => format!("{krate}::{rest}"),
        None => path.to_owned(),
    };
    let mut offloaders: HashSet<String> = HashSet::new();
    for (i, a) in analyses.iter().enumerate() {
        if let Some(a) = a {
            for k in &discovered.files[i].krates {
                offloaders.extend(a.offloaders.iter().map(|o| global(k, o)));
            }
        }
    }
    let mut per_file: HashMap<usize, Vec<(OwnedFinding, Vec<ChainLoc>)>> = HashMap::new();
    for (i, a) in analyses.iter().enumerate() {
        if let Some(a) = a {
            let krates = &discovered.files[i].krates;
            let offloaded = |f: &OwnedFinding| {
                f.inside_closure_of
                    .as_deref()
                    .is_some_and(|o| krates.iter().any(|k| offloaders.contains(&global(k, o))))
            };
            per_file.entry(i).or_default().extend(
                a.findings
                    .iter()
                    .filter(|f| !offloaded(f))
                    .map(|f| (f.clone(), Vec::new())),
            );
        }
    }
    for (file, mut f, chain) in transitive {
        let names = crate::transitive::chain_names(&f.call, &chain);
        f.notes = vec![match chain.last() {
            Some(last) => format!(
                "{names} at {}:{}",
                discovered.files[last.file].display, last.pos.line
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
                .position(|c| c.covers_line == f.start.line && c.allow.covers(f.rule))
            {
                comment_used[c] = true;
                continue;
            }
            if f.confidence < settings.min_confidence {
                continue;
            }
            result.diags.push(Diag {
                kind: Kind::Rule(f.rule),
                file: i,
                start: f.start,
                end: f.end,
                level: f.level,
                confidence: f.confidence,
                call: Some(f.call),
                message: f.message,
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
    Ok(result)
}

fn invalid(file: usize, start: Pos, end: Pos, message: String) -> Diag {
    Diag {
        kind: Kind::InvalidAllow,
        file,
        start,
        end,
        level: Level::Deny,
        confidence: Confidence::Certain,
        call: None,
        message,
        help: Some(Kind::InvalidAllow.help().to_owned()),
        notes: Vec::new(),
        chain: Vec::new(),
        extra: Default::default(),
    }
}

fn unused(file: usize, start: Pos, end: Pos, message: String) -> Diag {
    Diag {
        kind: Kind::UnusedAllow,
        file,
        start,
        end,
        level: Level::Warn,
        confidence: Confidence::Certain,
        call: None,
        message,
        help: Some(Kind::UnusedAllow.help().to_owned()),
        notes: Vec::new(),
        chain: Vec::new(),
        extra: Default::default(),
    }
}

/// Last segments of the fns that may block, directly or through calls, among
/// the analysed files (matched by name, so a superset).
fn maybe_blocking_names(work: &[Work]) -> HashSet<String> {
    let fns: Vec<&FnSummary<Pos>> = work
        .iter()
        .filter_map(|w| match &w.outcome {
            Outcome::Analysed(a) => Some(a.fns.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut names: HashSet<String> = fns
        .iter()
        .filter(|f| f.marked || !f.blocking.is_empty())
        .map(|f| last_segment(&f.path).to_owned())
        .collect();
    loop {
        let before = names.len();
        for f in &fns {
            if f.calls
                .iter()
                .any(|c| names.contains(last_segment(&c.path)))
            {
                names.insert(last_segment(&f.path).to_owned());
            }
        }
        if names.len() == before {
            return names;
        }
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
        })
        .collect();
    let _ = crate::transitive::run(&units);
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
