//! The diagnostics every output format prints.

use pollguard_analysis::{Confidence, Level, RULES, Rule, catalog};

/// What a diagnostic reports: a rule of the one registry, a blocking-call
/// rule for findings or one of pollguard's own (`PG001` to `PG004`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind(pub &'static Rule);

impl Kind {
    /// A malformed escape hatch: an attribute or comment without a reason or
    /// with an unknown category (`PG001`).
    pub const INVALID_ALLOW: Kind = Kind(&catalog::INVALID_ALLOW);
    /// An escape hatch that suppressed nothing (`PG002`, with `--report-unused-allows`).
    pub const UNUSED_ALLOW: Kind = Kind(&catalog::UNUSED_ALLOW);
    /// A baseline entry that matches no finding any more (`PG003`, with
    /// `--report-stale-baseline`).
    pub const STALE_BASELINE: Kind = Kind(&catalog::STALE_BASELINE);
    /// A file that was not analysed: it does not parse, is binary, is not
    /// UTF-8 or is nested too deeply (`PG004`).
    pub const UNPARSED_FILE: Kind = Kind(&catalog::UNPARSED_FILE);

    /// The blocking-call rule of a finding; `None` for pollguard's own diagnostics.
    pub fn finding(self) -> Option<&'static Rule> {
        Some(self.0).filter(|r| r.category.is_blocking())
    }

    /// `PG101`.
    pub fn code(self) -> &'static str {
        self.0.code
    }

    /// `thread-sleep`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The category's name; `pollguard` for pollguard's own diagnostics.
    pub fn category(self) -> &'static str {
        self.0.category.name()
    }

    /// The level when no configuration says otherwise.
    pub fn default_level(self) -> Level {
        self.0.default_level
    }

    /// What the rule reports, and for a rule reported only when asked, the
    /// flag that asks.
    pub fn short_description(self) -> String {
        match self.0.doc.on_request {
            Some(flag) => {
                let what = self.0.doc.what.trim_end_matches('.');
                format!("{what} (`{flag}`).")
            }
            None => self.0.doc.what.to_owned(),
        }
    }

    /// What to do, one line.
    pub fn help(self) -> &'static str {
        self.0.help
    }

    /// The documentation as Markdown, for `--explain`.
    pub fn explain(self) -> String {
        self.0.explain()
    }

    /// The kind with this code or name.
    pub fn find(code_or_name: &str) -> Option<Kind> {
        Rule::find(code_or_name).map(Kind)
    }

    /// Every kind: the catalog, then pollguard's own.
    pub fn all() -> Vec<Kind> {
        RULES.iter().copied().map(Kind).collect()
    }
}

/// A position: 1-based line and 1-based column in characters.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One call of a transitive chain, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLoc {
    /// The fn making the call (`crate::config::load_config`).
    pub caller: String,
    /// What it calls.
    pub callee: String,
    /// Index into the scanned files.
    pub file: usize,
    /// Where the call is.
    pub pos: Pos,
    /// On the last step, the rule of the blocking call reached.
    pub rule: Option<&'static Rule>,
}

/// One diagnostic.
#[derive(Clone, Debug)]
pub struct Diag {
    /// What it reports.
    pub kind: Kind,
    /// Index into the scanned files.
    pub file: usize,
    /// First character.
    pub start: Pos,
    /// One past the last character (exclusive, like rustc and SARIF).
    pub end: Pos,
    /// `Warn` or `Deny`.
    pub level: Level,
    /// How sure the engine is.
    pub confidence: Confidence,
    /// The resolved callee, for findings.
    pub call: Option<String>,
    /// The one-line message.
    pub message: String,
    /// What to do instead.
    pub help: Option<String>,
    /// Extra lines.
    pub notes: Vec<String>,
    /// For transitive findings: the way down to the blocking call.
    pub chain: Vec<ChainLoc>,
    /// What the CLI works out after the scan, from the file's syntax: where
    /// the finding runs, its identity, its group and its fix.
    pub extra: Extra,
}

/// Where a finding runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// Ordinary async code: a task on a runtime's worker.
    #[default]
    Async,
    /// Test code: `tests/`, `#[cfg(test)]`, `#[test]` and `#[tokio::test]` fns.
    Test,
    /// An example: `examples/`.
    Example,
    /// A benchmark: `benches/`.
    Bench,
    /// The body of an async `main` under a runtime attribute (`#[tokio::main]`),
    /// which runs on the thread that called `block_on`, not on a worker.
    Main,
}

impl Context {
    /// Every context, in the order the summary lists them.
    pub const ALL: [Context; 5] = [
        Context::Async,
        Context::Main,
        Context::Test,
        Context::Example,
        Context::Bench,
    ];

    /// `async`, `test`, `example`, `bench` or `main`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Async => "async",
            Context::Test => "test",
            Context::Example => "example",
            Context::Bench => "bench",
            Context::Main => "main",
        }
    }

    /// The context with this name.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A machine-applicable replacement of a finding's call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// First character replaced.
    pub start: Pos,
    /// One past the last character replaced.
    pub end: Pos,
    /// The new text.
    pub replacement: String,
}

/// What the CLI adds to a diagnostic after the scan.
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Where the finding runs.
    pub context: Context,
    /// For `main`: the runtime is current-thread (`flavor = "current_thread"`).
    pub current_thread: bool,
    /// The item the call sits in, relative to its file (`Server::handle`,
    /// `tests::loads`); empty at the top of a file.
    pub item: String,
    /// The call's text without whitespace or comments.
    pub code: String,
    /// Among identical calls (same rule and text) of the same item, which one.
    pub occurrence: usize,
    /// The stable identity the baseline records (see [`crate::baseline`]).
    pub fingerprint: String,
    /// Transitive findings of one helper share this value (`src/db.rs#crate::db::query`).
    pub group: Option<String>,
    /// The async replacement, when it is certain and local.
    pub fix: Option<Fix>,
}

impl Diag {
    /// `error` or `warning`.
    pub fn severity(&self) -> &'static str {
        if self.level == Level::Deny {
            "error"
        } else {
            "warning"
        }
    }
}

/// A file that was not analysed, or analysed only in part.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Index into the scanned files.
    pub file: usize,
    /// Where, when known.
    pub pos: Option<Pos>,
    /// What happened, lowercase.
    pub message: String,
    /// Whether it makes the exit code 2 (an I/O error), rather than a warning.
    pub fatal: bool,
}
