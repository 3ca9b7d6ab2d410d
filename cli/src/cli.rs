//! The command line: `cargo pollguard [OPTIONS] [PATHS]...`.

use crate::deps::{self, DepOptions};
use crate::diag::Kind;
use crate::discover;
use crate::output::{self, Report};
use crate::scan::{self, ScanOptions};
use crate::settings::{self, Flags};
use crate::{adopt, baseline, fix};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, ValueEnum};
use codespan_reporting::term::termcolor::ColorChoice;
use pollguard_analysis::{Confidence, Level};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "Find blocking calls in async (Tokio) code across a whole Cargo workspace";

const LONG_ABOUT: &str = "\
Find blocking calls in async (Tokio) code across a whole Cargo workspace: \
`std::thread::sleep`, `std::fs`, blocking channels, `block_on`, and sync fns of \
the workspace that block, directly or through other fns (category `transitive`).

Project code is only read and parsed, never compiled or executed: no build \
script, no proc macro and no `cargo build` runs, so it is safe to run on \
untrusted code. Without paths, the workspace comes from `cargo metadata`; \
`.gitignore` and `target/` are respected. With `--deps`, dependencies (from \
the registry cache, path and git checkouts) are read as source too, never \
built, to learn which of their fns block; `--offline`, `--locked` and \
`--frozen` are passed to `cargo metadata` when it resolves them. What each \
dependency gave is kept in $POLLGUARD_CACHE_DIR (else $XDG_CACHE_HOME/pollguard, \
else the platform's cache directory), so the next run reads no dependency \
source.";

const AFTER_HELP: &str = "\
Configuration, in Cargo.toml ([package.metadata.pollguard] overrides \
[workspace.metadata.pollguard]; flags override both):

  [workspace.metadata.pollguard]
  deny = [\"lock\"]                  # categories or rules (code or name): errors
  warn = [\"channel\"]               # warnings
  allow = [\"fs\", \"PG181\"]          # not reported
  allow-calls = [\"std::fs::read\"]  # callee paths or prefixes never reported
  blocking = [\"legacy::query\", { path = \"legacy::get\", help = \"use `legacy::get_async`\" }]
  offloaders = [\"my_rt::run_blocking\"]
  skip = [\"src/generated\"]         # gitignore-style, relative to that Cargo.toml
  tests = true                     # analyse test code (tests/, benches/, #[cfg(test)])
  min-confidence = \"likely\"        # or \"certain\"
  baseline = \"pollguard-baseline.json\"  # fail only on findings not in it

  [workspace.metadata.pollguard.contexts]   # the most a finding is reported as, where it runs
  test = \"warn\"                    # tests/, #[cfg(test)], #[test] and #[tokio::test] fns
  example = \"allow\"                # examples/
  bench = \"allow\"                  # benches/
  main = \"warn\"                    # the body of an async main under #[tokio::main] and the like

An unknown key, category, rule, context or level is an error naming it (exit 2).

Adopting on a codebase with findings: `cargo pollguard --write-baseline` records \
them; `cargo pollguard --baseline pollguard-baseline.json` (or `baseline` above) then \
fails only on new ones, and `--report-stale-baseline` lists entries whose finding is gone.

Suppressions: `#[pollguard::allow_blocking(fs, \"reason\")]` on an item, a \
statement or an expression, or a comment `// pollguard: allow(fs) reason` at the \
end of the line or alone on the line above; the reason is mandatory.

Exit status: 0 when no finding is at error level; 1 when one is; 2 on a usage, \
configuration or I/O error (an unreadable file: the other files are still \
scanned). A file that does not parse, a binary or non-UTF-8 file and a file \
nested too deeply are skipped and reported in every format as a `PG004` \
warning, which does not change the exit status.";

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with the source line.
    #[default]
    Human,
    /// JSON Lines, one finding per line.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// cargo `compiler-message` JSON lines, with fixes as rustc-style
    /// suggestions (same as `--message-format json`).
    CargoJson,
}

/// cargo's `--message-format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Same as `--format human`.
    Human,
    /// Same as `--format human`.
    Short,
    /// cargo-compatible `compiler-message` JSON lines.
    Json,
    /// Like `json`, with ANSI colours in `rendered`.
    #[value(name = "json-diagnostic-rendered-ansi")]
    JsonAnsi,
    /// Like `json`.
    #[value(name = "json-diagnostic-short")]
    JsonShort,
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// `--min-confidence` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ConfidenceArg {
    /// Only calls resolved to a known blocking path or type.
    Certain,
    /// Also calls inferred from the shape of the code.
    Likely,
}

/// `cargo pollguard`'s arguments.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-pollguard",
    bin_name = "cargo pollguard",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = AFTER_HELP
)]
pub struct Args {
    /// Files or directories to scan (any `.rs`, also outside a Cargo
    /// project); without any, the Cargo workspace around the current directory
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// cargo-compatible output (`json` is what rust-analyzer reads); overrides `--format`
    #[arg(long, value_enum, value_name = "FMT")]
    pub message_format: Option<MessageFormat>,

    /// When to colour human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Print the documentation of a rule (`PG101` or `thread-sleep`) and exit
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// Print every rule with its category and default level, and exit
    #[arg(long)]
    pub list_rules: bool,

    /// Report only findings at least this sure
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<ConfidenceArg>,

    /// Report escape hatches (attributes and comments) that suppress nothing
    #[arg(long)]
    pub report_unused_allows: bool,

    /// Report and fail only on findings not in this baseline file (default:
    /// `baseline` in [workspace.metadata.pollguard])
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in a baseline file and exit 0 (default:
    /// the configured `baseline`, else `pollguard-baseline.json` at the workspace root)
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<Option<PathBuf>>,

    /// With --deps: write the calls into dependencies that block to a file
    /// `#[pollguard::no_blocking]` reads, so it reports them too (default:
    /// `pollguard-facts.txt` at the workspace root)
    #[arg(long, value_name = "FILE")]
    pub write_facts: Option<Option<PathBuf>>,

    /// Report baseline entries whose finding no longer exists
    #[arg(long)]
    pub report_stale_baseline: bool,

    /// End human output with a table of findings per rule, context and
    /// directory (printed without this flag too when there are more than 20 findings)
    #[arg(long)]
    pub summary: bool,

    /// Apply the machine-applicable fixes (`std::thread::sleep(d)` -> `tokio::time::sleep(d).await`), then report what is left
    #[arg(long)]
    pub fix: bool,

    /// With `--fix`: fix even if the git working tree has uncommitted changes
    #[arg(long)]
    pub allow_dirty: bool,

    /// With `--fix`: fix even outside a git repository
    #[arg(long)]
    pub allow_no_vcs: bool,

    /// Report a category or rule as an error (repeatable, comma-separated)
    #[arg(short = 'D', long, value_name = "CATEGORY|RULE", value_delimiter = ',', action = ArgAction::Append)]
    pub deny: Vec<String>,

    /// Report a category or rule as a warning (repeatable, comma-separated)
    #[arg(short = 'W', long, value_name = "CATEGORY|RULE", value_delimiter = ',', action = ArgAction::Append)]
    pub warn: Vec<String>,

    /// Do not report a category or rule (repeatable, comma-separated)
    #[arg(short = 'A', long, value_name = "CATEGORY|RULE", value_delimiter = ',', action = ArgAction::Append)]
    pub allow: Vec<String>,

    /// Skip test code: test and bench targets (`tests/`, `benches/`), and `#[cfg(test)]` modules and `#[test]` fns in the others
    #[arg(long)]
    pub no_tests: bool,

    /// The workspace's Cargo.toml, instead of the one around the current directory
    #[arg(long, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Accepted for cargo compatibility (the whole workspace is always scanned)
    #[arg(long, hide = true)]
    pub workspace: bool,

    /// Accepted for cargo compatibility (every target is always scanned)
    #[arg(long, hide = true)]
    pub all_targets: bool,

    /// Accepted for cargo compatibility
    #[arg(long, hide = true)]
    pub keep_going: bool,

    /// Do not print progress (the bar shown on a terminal while dependencies
    /// are read, and the line saying how many came from the cache)
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Also read the dependencies' sources and report calls into those that
    /// block (seconds the first time, then cached; see the README's
    /// "Dependencies, read as source")
    #[arg(long)]
    pub deps: bool,

    /// Do not read the dependencies' sources (the default; overrides `--deps`)
    #[arg(long)]
    pub no_deps: bool,

    /// Resolve dependencies without the network, from the registry cache only (passed to `cargo metadata`)
    #[arg(long)]
    pub offline: bool,

    /// Fail rather than update `Cargo.lock` (passed to `cargo metadata`)
    #[arg(long)]
    pub locked: bool,

    /// `--offline` and `--locked` together (passed to `cargo metadata`)
    #[arg(long)]
    pub frozen: bool,

    /// Only read and parse the files (the benchmark's floor)
    #[arg(long, hide = true)]
    pub parse_only: bool,

    /// No effect: every file is parsed (kept so that scripts written when
    /// files without a trigger were skipped still run)
    #[arg(long, hide = true)]
    pub no_prefilter: bool,

    /// Use only the catalog's entries for the standard library and the
    /// async runtimes (for measuring what reading dependencies finds alone)
    #[arg(long, hide = true)]
    pub std_catalog_only: bool,
}

impl Args {
    /// What `--offline`, `--locked` and `--frozen` pass to the `cargo
    /// metadata` that resolves the dependencies ([`deps::graph`]); the
    /// caller skips dependencies altogether under [`Args::no_deps`].
    pub fn dep_options(&self) -> DepOptions {
        DepOptions {
            offline: self.offline,
            locked: self.locked,
            frozen: self.frozen,
        }
    }

    /// Whether to draw the progress bar while dependencies are read: on a
    /// terminal, and not under `--quiet`.
    pub fn progress_wanted(&self) -> bool {
        deps::progress_wanted(self.quiet)
    }
}

/// Runs `cargo-pollguard` (or `cargo pollguard`) with these arguments and
/// returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let mut args: Vec<OsString> = args.into_iter().collect();
    // `cargo pollguard ..` runs `cargo-pollguard pollguard ..`.
    if args.get(1).is_some_and(|a| a == "pollguard") {
        args.remove(1);
    }
    let matches = match Args::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let parsed = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let mut levels: Vec<(usize, String, Level)> = Vec::new();
    for (id, level, values) in [
        ("deny", Level::Deny, &parsed.deny),
        ("warn", Level::Warn, &parsed.warn),
        ("allow", Level::Allow, &parsed.allow),
    ] {
        let indices: Vec<usize> = matches
            .indices_of(id)
            .map(|i| i.collect())
            .unwrap_or_default();
        for (n, v) in values.iter().enumerate() {
            levels.push((indices.get(n).copied().unwrap_or(0), v.clone(), level));
        }
    }
    levels.sort_by_key(|(i, _, _)| *i);
    let flags = Flags {
        levels: levels.into_iter().map(|(_, k, l)| (k, l)).collect(),
        no_tests: parsed.no_tests,
        std_catalog_only: parsed.std_catalog_only,
        min_confidence: parsed.min_confidence.map(|c| match c {
            ConfidenceArg::Certain => Confidence::Certain,
            ConfidenceArg::Likely => Confidence::Likely,
        }),
    };
    let started = std::time::Instant::now();
    let outcome = execute(&parsed, &flags);
    crate::timing::add("total", started.elapsed());
    crate::timing::print();
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn execute(args: &Args, flags: &Flags) -> Result<u8, String> {
    let stdout = std::io::stdout();
    if let Some(code) = &args.explain {
        let kind = Kind::find(code).ok_or_else(|| {
            format!("no rule `{code}`: `cargo pollguard --list-rules` lists them")
        })?;
        let _ = write!(stdout.lock(), "{}", kind.explain());
        return Ok(0);
    }
    if args.list_rules {
        let mut out = stdout.lock();
        for k in Kind::all() {
            let _ = writeln!(
                out,
                "{:<6} {:<28} {:<15} {:<5} {}",
                k.code(),
                k.name(),
                k.category(),
                k.default_level().name(),
                k.short_description()
            );
        }
        return Ok(0);
    }
    // Flag keys are checked before any file is read.
    for (key, level) in &flags.levels {
        settings::check_level_key(key, &format!("--{}", level.name()), "the command line")?;
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let deps_wanted = args.paths.is_empty() && args.deps && !args.no_deps;
    if deps_wanted {
        crate::deps::prefetch_host();
        crate::depscan::prefetch_view(
            cwd.clone(),
            args.manifest_path.clone(),
            args.dep_options(),
            args.std_catalog_only,
        );
    }
    let discovered = crate::timing::time("main: discover", || {
        if args.paths.is_empty() {
            discover::workspace(&cwd, args.manifest_path.as_deref(), flags)
        } else {
            discover::paths(&cwd, &args.paths, flags)
        }
    })?;
    let threads = args.jobs.unwrap_or(0);
    if args.parse_only {
        let started = std::time::Instant::now();
        let (parsed, lines) = crate::timing::time("main: parse only", || {
            scan::parse_only(&discovered, threads)
        })?;
        eprintln!(
            "parsed {parsed} of {} files, {lines} lines, in {:.3} s",
            discovered.files.len(),
            started.elapsed().as_secs_f64()
        );
        return Ok(0);
    }
    // Opt-in for now: on real applications a third of the findings it adds
    // hold up, and a run costs seconds (benches/real_apps_deps.md).
    let deps = if deps_wanted {
        // Resolving the graph writes a Cargo.lock where there was none:
        // pollguard only reads, so it leaves the tree as it found it.
        let lock = discovered.base.join("Cargo.lock");
        let had_lock = lock.exists();
        let deps = read_deps(&cwd, args, threads);
        if !had_lock {
            let _ = std::fs::remove_file(&lock);
        }
        deps
    } else {
        None
    };
    let scan_options = ScanOptions {
        report_unused_allows: args.report_unused_allows,
        threads,
        deps,
    };
    let facts_to = match &args.write_facts {
        None => None,
        Some(_) if !(args.deps && !args.no_deps && args.paths.is_empty()) => {
            return Err(
                "`--write-facts` writes what reading the dependencies finds: pass `--deps` too, without paths and without `--no-deps`"
                    .to_owned(),
            );
        }
        Some(_) if scan_options.deps.is_none() => {
            return Err(
                "cannot write the facts file: the dependencies could not be read (see the warning above); nothing was written"
                    .to_owned(),
            );
        }
        Some(Some(p)) => Some(cwd.join(p)),
        Some(None) => Some(discovered.base.join(pollguard_analysis::facts::FILE_NAME)),
    };
    if let Some(d) = &scan_options.deps {
        d.scan.forget_asked();
    }
    let mut result = adopt::scan(&discovered, &scan_options)?;
    if let Some(d) = &scan_options.deps {
        d.scan.remember_asked();
    }
    if let Some(path) = &facts_to {
        let facts = crate::facts::of(&result);
        let n = crate::facts::write(path, &facts)?;
        eprintln!(
            "pollguard: wrote {n} call(s) into dependencies that block to `{}`; `#[pollguard::no_blocking]` reports them too (commit it, and write it again when dependencies change)",
            crate::discover::display_path(path, &cwd)
        );
    }
    if let Some(path) = &args.write_baseline {
        let path = match path {
            Some(p) => cwd.join(p),
            None => discovered
                .baseline
                .clone()
                .unwrap_or_else(|| discovered.base.join(baseline::DEFAULT_FILE)),
        };
        output::print_problems(
            &Report {
                result: &result,
                discovered: &discovered,
                baselined: 0,
                summary: false,
            },
            &result.problems,
        );
        output::print_unanalysed(&Report {
            result: &result,
            discovered: &discovered,
            baselined: 0,
            summary: false,
        });
        let n = baseline::write(&path, &result)?;
        let mut again: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        if let Some(m) = &args.manifest_path {
            again = vec!["--manifest-path".to_owned(), m.display().to_string()];
        }
        eprint!(
            "{}",
            baseline::written_message(n, &path, &cwd, &discovered, &again)
        );
        return Ok(if result.problems.iter().any(|p| p.fatal) {
            2
        } else {
            0
        });
    }
    if args.fix {
        let fixed = fix::apply_all(
            &discovered,
            &result,
            &fix::Guard {
                allow_dirty: args.allow_dirty,
                allow_no_vcs: args.allow_no_vcs,
            },
        )?;
        eprintln!(
            "pollguard: fixed {} {} in {} {}",
            fixed.fixes,
            if fixed.fixes == 1 { "call" } else { "calls" },
            fixed.files,
            if fixed.files == 1 { "file" } else { "files" },
        );
        if fixed.fixes > 0 {
            result = adopt::scan(&discovered, &scan_options)?;
        }
    }
    let baseline_path = args
        .baseline
        .as_ref()
        .map(|b| cwd.join(b))
        .or_else(|| discovered.baseline.clone());
    let mut baselined = 0;
    match &baseline_path {
        Some(path) => {
            let (read, text) = baseline::read(path)?;
            let display = discover::display_path(path, &discovered.base);
            baselined = baseline::apply(
                &read,
                text,
                display,
                args.report_stale_baseline,
                &mut result,
            )
            .baselined;
        }
        None if args.report_stale_baseline => {
            return Err(
                "`--report-stale-baseline` needs a baseline: pass `--baseline FILE` or set `baseline` in [workspace.metadata.pollguard]"
                    .to_owned(),
            );
        }
        None => {}
    }
    let report = Report {
        result: &result,
        discovered: &discovered,
        baselined,
        summary: args.summary,
    };
    output::print_problems(&report, &result.problems);
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match (args.message_format, args.format) {
        (Some(MessageFormat::Json | MessageFormat::JsonShort), _) => {
            output::cargo_json(&report, false, &mut out)
        }
        (Some(MessageFormat::JsonAnsi), _) => output::cargo_json(&report, true, &mut out),
        (Some(MessageFormat::Human | MessageFormat::Short), _) | (None, Format::Human) => {
            drop(out);
            output::human(&report, color_choice(args.color))
                .map_err(|e| format!("cannot write the report: {e}"))?;
            return Ok(exit_code(&result));
        }
        (None, Format::CargoJson) => output::cargo_json(&report, false, &mut out),
        (None, Format::Json) => output::json(&report, &mut out),
        (None, Format::Github) => output::github(&report, &mut out),
        (None, Format::Sarif) => {
            let log = output::sarif::log(&report);
            serde_json::to_writer_pretty(&mut out, &log)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))?;
    Ok(exit_code(&result))
}

/// Reads the dependencies' sources. When that cannot be done, says so once
/// on stderr and returns `None`: the scan goes on with the catalog alone.
fn read_deps(
    cwd: &std::path::Path,
    args: &Args,
    threads: usize,
) -> Option<std::sync::Arc<scan::Deps>> {
    let opts = args.dep_options();
    // Even under `--quiet`: a run that could not read what was asked for
    // must not look like one that did.
    let warn = |what: &str| eprintln!("warning: {what}");
    let cache = crate::deps::Cache::open();
    let graph = match crate::timing::time("deps: graph", || {
        crate::deps::graph_cached(cwd, args.manifest_path.as_deref(), &opts, cache.as_ref())
    }) {
        Ok(g) => g,
        Err(e) => {
            warn(&format!("{e}; scanning without reading dependencies"));
            return None;
        }
    };
    let cfg = match crate::timing::time("deps: host cfg", crate::deps::Cfg::host) {
        Ok(c) => c,
        Err(e) => {
            warn(&format!("{e}; scanning without reading dependencies"));
            return None;
        }
    };
    let pool = match scan::pool(threads) {
        Ok(p) => p,
        Err(e) => {
            warn(&e);
            return None;
        }
    };
    let progress = crate::deps::Progress::new(
        graph.crates.len() as u64,
        crate::deps::progress_wanted(args.quiet),
    );
    let started = std::time::Instant::now();
    let read = crate::depscan::read(
        &graph,
        &cfg,
        pool,
        &progress,
        cache.as_ref(),
        args.std_catalog_only,
    );
    crate::timing::add("deps: read (wall)", started.elapsed());
    if let Some(c) = &cache {
        // Entries of other versions and builds, unused for a month.
        crate::timing::time("deps: prune", || {
            c.prune(std::time::Duration::from_secs(30 * 24 * 3600));
        });
    }
    progress.finish();
    if !args.quiet {
        let from = match &cache {
            Some(c) => format!(
                "{} of them from the cache in `{}`",
                read.from_cache,
                c.dir().display()
            ),
            None => "no cache directory to keep them in".to_owned(),
        };
        eprintln!(
            "pollguard: read {} dependency crate(s), {from}",
            read.crates_read
        );
    }
    let mut problems: Vec<&String> = graph.problems.iter().chain(&read.problems).collect();
    problems.sort();
    problems.dedup();
    if !problems.is_empty() {
        warn(&format!(
            "{} dependency file(s) or package(s) could not be read; their calls are judged by the catalog alone:",
            problems.len()
        ));
        for p in problems.iter().take(10) {
            warn(&format!("  {p}"));
        }
        if problems.len() > 10 {
            warn(&format!("  and {} more", problems.len() - 10));
        }
    }
    Some(std::sync::Arc::new(scan::Deps { graph, scan: read }))
}

fn exit_code(result: &scan::ScanResult) -> u8 {
    if result.problems.iter().any(|p| p.fatal) {
        2
    } else if result.diags.iter().any(|d| d.level == Level::Deny) {
        1
    } else {
        0
    }
}

fn color_choice(color: Color) -> ColorChoice {
    match color {
        Color::Always => ColorChoice::Always,
        Color::Never => ColorChoice::Never,
        Color::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if !no_color && std::io::stdout().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Args {
        match Args::try_parse_from(std::iter::once("cargo-pollguard").chain(args.iter().copied())) {
            Ok(a) => a,
            Err(e) => panic!("{args:?}: {e}"),
        }
    }

    #[test]
    fn dependency_flags() {
        let a = parse(&[]);
        assert!(!a.no_deps && !a.deps && !a.quiet);
        assert_eq!(a.dep_options(), DepOptions::default());
        let a = parse(&["--no-deps", "-q", "--offline", "--locked", "--frozen"]);
        assert!(a.no_deps && a.quiet && !a.progress_wanted());
        assert_eq!(
            a.dep_options(),
            DepOptions {
                offline: true,
                locked: true,
                frozen: true
            }
        );
        let help = Args::command().render_long_help().to_string();
        for flag in ["--no-deps", "--offline", "--locked", "--frozen", "--quiet"] {
            assert!(help.contains(flag), "{flag} not in --help");
        }
        assert!(!help.contains("cargo metadata --no-deps"));
    }
}
