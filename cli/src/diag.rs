//! The diagnostics every output format prints.

use pollguard_analysis::{Confidence, Level, RULES, Rule};

/// What a diagnostic reports.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A finding of a catalog rule.
    Rule(&'static Rule),
    /// A malformed escape hatch: an attribute or comment without a reason or
    /// with an unknown category (`PG001`).
    InvalidAllow,
    /// An escape hatch that suppressed nothing (`PG002`, with `--report-unused-allows`).
    UnusedAllow,
    /// A baseline entry that matches no finding any more (`PG003`, with
    /// `--report-stale-baseline`).
    StaleBaseline,
}

/// The codes of the CLI's own diagnostics, which are not in the catalog.
pub const CLI_RULES: &[Kind] = &[Kind::InvalidAllow, Kind::UnusedAllow, Kind::StaleBaseline];

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.code() == other.code()
    }
}

impl Eq for Kind {}

impl Kind {
    /// `PG101`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Rule(r) => r.code,
            Kind::InvalidAllow => "PG001",
            Kind::UnusedAllow => "PG002",
            Kind::StaleBaseline => "PG003",
        }
    }

    /// `thread-sleep`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Rule(r) => r.name,
            Kind::InvalidAllow => "invalid-allow",
            Kind::UnusedAllow => "unused-allow",
            Kind::StaleBaseline => "stale-baseline",
        }
    }

    /// The category's name; `pollguard` for the CLI's own diagnostics.
    pub fn category(self) -> &'static str {
        match self {
            Kind::Rule(r) => r.category.name(),
            _ => "pollguard",
        }
    }

    /// The level when no configuration says otherwise.
    pub fn default_level(self) -> Level {
        match self {
            Kind::Rule(r) => r.default_level,
            Kind::InvalidAllow => Level::Deny,
            Kind::UnusedAllow | Kind::StaleBaseline => Level::Warn,
        }
    }

    /// One line: what the rule reports.
    pub fn short_description(self) -> String {
        match self {
            Kind::Rule(r) => r.doc.what.to_owned(),
            Kind::InvalidAllow => {
                "Reports escape hatches without a reason or with an unknown category or rule."
                    .to_owned()
            }
            Kind::UnusedAllow => {
                "Reports escape hatches that suppress nothing (`--report-unused-allows`)."
                    .to_owned()
            }
            Kind::StaleBaseline => {
                "Reports baseline entries whose finding is gone (`--report-stale-baseline`)."
                    .to_owned()
            }
        }
    }

    /// What to do, one line.
    pub fn help(self) -> &'static str {
        match self {
            Kind::Rule(r) => r.help,
            Kind::InvalidAllow => {
                "give a reason and known categories: `// pollguard: allow(fs) why this call may block here`"
            }
            Kind::UnusedAllow => "remove the escape hatch",
            Kind::StaleBaseline => {
                "remove the entry: `cargo pollguard --write-baseline` rewrites the file without it"
            }
        }
    }

    /// The documentation as Markdown, for `--explain`.
    pub fn explain(self) -> String {
        match self {
            Kind::Rule(r) => r.explain(),
            Kind::InvalidAllow => "# PG001 invalid-allow (pollguard, deny by default)\n\n\
                ## What it does\nReports an escape hatch that pollguard cannot honour: \
                `#[pollguard::allow_blocking]` or `// pollguard: allow(..)` without a reason, or \
                naming a category or rule that does not exist.\n\n\
                ## Why is this bad\nA suppression must tell a reviewer why the call may block; \
                a misspelt category suppresses nothing.\n\n\
                ## Example\n```rust\nasync fn load() {\n    // pollguard: allow(fs)\n    \
                let s = std::fs::read_to_string(\"app.toml\");\n}\n```\n\n\
                ## Use instead\n```rust\nasync fn load() {\n    \
                // pollguard: allow(fs) read once at startup, before the server accepts connections\n    \
                let s = std::fs::read_to_string(\"app.toml\");\n}\n```\n"
                .to_owned(),
            Kind::UnusedAllow => "# PG002 unused-allow (pollguard, reported with `--report-unused-allows`)\n\n\
                ## What it does\nReports an escape hatch (attribute or comment) that suppressed no \
                finding.\n\n## Why is this bad\nStale suppressions hide the next blocking call \
                written under them.\n\n## Example\n```rust\nasync fn tick() {\n    \
                // pollguard: allow(sleep) rate limit\n    tokio::time::sleep(d).await;\n}\n```\n\n\
                ## Use instead\n```rust\nasync fn tick() {\n    tokio::time::sleep(d).await;\n}\n```\n"
                .to_owned(),
            Kind::StaleBaseline => "# PG003 stale-baseline (pollguard, reported with `--report-stale-baseline`)\n\n\
                ## What it does\nReports an entry of the baseline file whose finding no longer \
                exists: the call was fixed, moved to another fn or removed.\n\n\
                ## Why is this bad\nA stale entry would hide the next identical call written in \
                the same fn; removing entries as code is fixed makes the baseline shrink to \
                nothing.\n\n## Example\n```json\n{\"fingerprint\": \"..\", \"rule\": \"PG101\", \
                \"file\": \"src/main.rs\", \"item\": \"main\", \"code\": \"std::thread::sleep(d)\", \
                \"occurrence\": 0}\n```\n\n## Use instead\n```sh\ncargo pollguard --write-baseline\n```\n"
                .to_owned(),
        }
    }

    /// The kind with this code or name.
    pub fn find(code_or_name: &str) -> Option<Kind> {
        if let Some(r) = Rule::find(code_or_name) {
            return Some(Kind::Rule(r));
        }
        CLI_RULES
            .iter()
            .copied()
            .find(|k| k.code().eq_ignore_ascii_case(code_or_name) || k.name() == code_or_name)
    }

    /// Every kind: the catalog, then the CLI's own.
    pub fn all() -> Vec<Kind> {
        RULES
            .iter()
            .copied()
            .map(Kind::Rule)
            .chain(CLI_RULES.iter().copied())
            .collect()
    }
}

/// A position: 1-based line and 1-based column in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
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
