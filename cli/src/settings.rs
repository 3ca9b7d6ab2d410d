//! Configuration from `Cargo.toml` and from flags.
//!
//! The schema, the same under `[workspace.metadata.pollguard]` (every member)
//! and `[package.metadata.pollguard]` (one package):
//!
//! ```toml
//! [workspace.metadata.pollguard]
//! deny = ["lock"]                 # categories or rules (code or name): errors, exit 1
//! warn = ["channel"]              # reported as warnings
//! allow = ["fs", "PG181"]         # not reported
//! allow-calls = ["std::fs::read_to_string"]  # callee paths (or path prefixes) never reported
//! blocking = [                    # extra blocking fns, optionally with what to use instead
//!     "legacy::db::query",
//!     { path = "legacy::http::get", help = "use `legacy::http::get_async`" },
//! ]
//! offloaders = ["my_rt::run_blocking"]  # fns whose closure argument runs off the executor
//! skip = ["src/generated", "benches/*.rs"]  # gitignore-style, relative to this Cargo.toml
//! tests = true                    # analyse test code: `tests/`, `benches/`, `#[cfg(test)]` (default true)
//! min-confidence = "likely"       # `likely` (everything) or `certain`
//! baseline = "pollguard-baseline.json"  # only findings not in it fail (workspace root only)
//!
//! [workspace.metadata.pollguard.contexts]
//! test = "warn"                   # findings in test code: at most warnings
//! example = "allow"               # not reported in `examples/`
//! bench = "allow"
//! main = "warn"                   # the body of an async `main` under `#[tokio::main]`
//! ```
//!
//! Precedence: the workspace table, then the package table, then the flags
//! (`--allow`/`--warn`/`--deny` in command-line order). Within one table
//! `allow` is applied before `warn` and `warn` before `deny`; naming the same
//! key in two lists of one table is an error. Any unknown key, category or
//! rule is an error that names the key and the file.

use crate::diag::Context;
use pollguard_analysis::{Category, Confidence, Config, ExtraBlocking, Level, Rule};
use std::path::{Path, PathBuf};
use toml::Value;

/// The keys a pollguard metadata table may have.
pub const KEYS: &[&str] = &[
    "deny",
    "warn",
    "allow",
    "allow-calls",
    "blocking",
    "offloaders",
    "skip",
    "tests",
    "min-confidence",
    "baseline",
    "contexts",
];

/// The keys of a `contexts` table: every context but `async`, which is
/// what the rules' own levels are for.
pub const CONTEXT_KEYS: &[&str] = &["test", "example", "bench", "main"];

/// One `[*.metadata.pollguard]` table, checked.
#[derive(Clone, Debug, Default)]
pub struct MetaTable {
    /// Level settings in the order they apply.
    pub levels: Vec<(String, Level)>,
    /// `allow-calls`.
    pub allow_calls: Vec<String>,
    /// `blocking`.
    pub blocking: Vec<ExtraBlocking>,
    /// `offloaders`.
    pub offloaders: Vec<String>,
    /// `skip` patterns.
    pub skip: Vec<String>,
    /// The directory `skip` patterns are relative to.
    pub base: PathBuf,
    /// `tests`.
    pub tests: Option<bool>,
    /// `min-confidence`.
    pub min_confidence: Option<Confidence>,
    /// `baseline`, as written (relative to `base`).
    pub baseline: Option<String>,
    /// `contexts`: the most a finding in each context is reported as.
    pub contexts: Vec<(Context, Level)>,
}

/// What the flags say.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    /// `--allow`/`--warn`/`--deny`, in command-line order.
    pub levels: Vec<(String, Level)>,
    /// `--no-tests`.
    pub no_tests: bool,
    /// `--min-confidence`.
    pub min_confidence: Option<Confidence>,
    /// `--std-catalog-only` (hidden; see [`Config::std_catalog_only`]).
    pub std_catalog_only: bool,
}

/// The settings one package is analysed with.
#[derive(Clone, Debug)]
pub struct Settings {
    /// What the engine gets.
    pub config: Config,
    /// Files and directories not to scan.
    pub skip: Option<ignore::gitignore::Gitignore>,
    /// Whether test and bench targets are analysed.
    pub tests: bool,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// The most a finding is reported as in each context (`contexts`):
    /// `None` leaves the rule's level.
    pub contexts: Vec<(Context, Level)>,
}

impl Settings {
    /// The level of a finding at `level` by its rule, in `context`: the
    /// lower of the two, so that `contexts` only ever relaxes.
    pub fn level_in(&self, context: Context, level: Level) -> Level {
        self.contexts
            .iter()
            .rev()
            .find(|(c, _)| *c == context)
            .map_or(level, |(_, cap)| level.min(*cap))
    }

    /// Whether a path found by walking is skipped by configuration.
    pub fn skips(&self, path: &Path, is_dir: bool) -> bool {
        self.skip.as_ref().is_some_and(|g| {
            // Only paths below the gitignore root can match; others would panic.
            path.starts_with(g.path()) && g.matched_path_or_any_parents(path, is_dir).is_ignore()
        })
    }
}

/// The pollguard tables of a manifest: `(workspace, package)`.
pub fn read_manifest(path: &Path) -> Result<(Option<MetaTable>, Option<MetaTable>), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| format!("cannot parse `{}`: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let table = |section: &str| -> Result<Option<MetaTable>, String> {
        match doc
            .get(section)
            .and_then(|s| s.get("metadata"))
            .and_then(|m| m.get("pollguard"))
        {
            None => Ok(None),
            Some(v) => {
                let at = format!("[{section}.metadata.pollguard] of {}", path.display());
                parse_table(v, &at, &base).map(Some)
            }
        }
    };
    Ok((table("workspace")?, table("package")?))
}

/// Checks one pollguard table; `at` names it in messages.
pub fn parse_table(value: &Value, at: &str, base: &Path) -> Result<MetaTable, String> {
    let Some(table) = value.as_table() else {
        return Err(format!(
            "{at} must be a table, not {}: write `deny = [\"lock\"]` and similar keys under it",
            value.type_str()
        ));
    };
    let mut out = MetaTable {
        base: base.to_path_buf(),
        ..MetaTable::default()
    };
    for key in table.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(unknown_key(key, at));
        }
    }
    let mut seen: Vec<(String, &str)> = Vec::new();
    for level in [Level::Allow, Level::Warn, Level::Deny] {
        let Some(v) = table.get(level.name()) else {
            continue;
        };
        for name in strings(v, level.name(), at)? {
            check_level_key(&name, level.name(), at)?;
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
                return Err(format!(
                    "`{name}` is in both `{other}` and `{}` in {at}: keep it in one list",
                    level.name()
                ));
            }
            seen.push((name.clone(), level.name()));
            out.levels.push((name, level));
        }
    }
    if let Some(v) = table.get("allow-calls") {
        out.allow_calls = strings(v, "allow-calls", at)?;
    }
    if let Some(v) = table.get("offloaders") {
        out.offloaders = strings(v, "offloaders", at)?;
    }
    if let Some(v) = table.get("skip") {
        out.skip = strings(v, "skip", at)?;
    }
    if let Some(v) = table.get("blocking") {
        out.blocking = blocking(v, at)?;
    }
    if let Some(v) = table.get("tests") {
        out.tests = Some(v.as_bool().ok_or_else(|| {
            format!(
                "`tests` in {at} must be `true` or `false`, not {}",
                v.type_str()
            )
        })?);
    }
    if let Some(v) = table.get("min-confidence") {
        let name = v.as_str().unwrap_or_default();
        out.min_confidence = Some(Confidence::from_name(name).ok_or_else(|| {
            format!("`min-confidence` in {at} must be \"certain\" or \"likely\", not {v}")
        })?);
    }
    if let Some(v) = table.get("baseline") {
        out.baseline = Some(
            v.as_str()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    format!(
                        "`baseline` in {at} must be a file name, like `baseline = \"pollguard-baseline.json\"`"
                    )
                })?
                .to_owned(),
        );
    }
    if let Some(v) = table.get("contexts") {
        out.contexts = contexts(v, at)?;
    }
    Ok(out)
}

fn contexts(v: &Value, at: &str) -> Result<Vec<(Context, Level)>, String> {
    let inner = format!("`contexts` of {at}");
    let Some(table) = v.as_table() else {
        return Err(format!(
            "{inner} must be a table, like `contexts = {{ test = \"warn\" }}`, not {}",
            v.type_str()
        ));
    };
    let mut out = Vec::new();
    for (key, value) in table {
        let Some(context) = CONTEXT_KEYS
            .contains(&key.as_str())
            .then(|| Context::from_name(key))
            .flatten()
        else {
            return Err(unknown_key_in(key, &inner, CONTEXT_KEYS));
        };
        let levels = ["deny", "warn", "allow"];
        let level = match value.as_str() {
            Some(name) => Level::from_name(name).ok_or_else(|| {
                match pollguard_analysis::config::closest(name, levels) {
                    Some(l) => format!(
                        "unknown level `{name}` for `{key}` in {inner}: did you mean `{l}`?"
                    ),
                    None => format!(
                        "unknown level `{name}` for `{key}` in {inner}: expected `deny`, `warn` or `allow`"
                    ),
                }
            })?,
            None => {
                return Err(format!(
                    "`{key}` in {inner} must be \"deny\", \"warn\" or \"allow\", not {}",
                    value.type_str()
                ));
            }
        };
        out.push((context, level));
    }
    Ok(out)
}

/// Builds the settings of one package.
pub fn build(
    workspace: Option<&MetaTable>,
    package: Option<&MetaTable>,
    flags: &Flags,
) -> Result<Settings, String> {
    let mut config = Config::new();
    let mut tests = true;
    let mut min_confidence = Confidence::Likely;
    let mut skip_builder: Option<ignore::gitignore::GitignoreBuilder> = None;
    let mut contexts = Vec::new();
    for table in [workspace, package].into_iter().flatten() {
        contexts.extend(table.contexts.iter().copied());
        for (key, level) in &table.levels {
            config.set_level(key, *level).map_err(|e| e.0)?;
        }
        config
            .allowed_calls
            .extend(table.allow_calls.iter().cloned());
        config.extra_blocking.extend(table.blocking.iter().cloned());
        config
            .extra_offloaders
            .extend(table.offloaders.iter().cloned());
        if let Some(t) = table.tests {
            tests = t;
        }
        if let Some(c) = table.min_confidence {
            min_confidence = c;
        }
        if !table.skip.is_empty() {
            // One matcher rooted at the workspace: package patterns are made
            // relative to it so both tables' patterns live together.
            let builder = skip_builder
                .get_or_insert_with(|| ignore::gitignore::GitignoreBuilder::new(&table.base));
            for pattern in &table.skip {
                let line = rebase(pattern, &table.base, builder_root(workspace, package));
                builder
                    .add_line(None, &line)
                    .map_err(|e| format!("invalid `skip` pattern `{pattern}`: {e}"))?;
            }
        }
    }
    for (key, level) in &flags.levels {
        config.set_level(key, *level).map_err(|e| e.0)?;
    }
    if flags.no_tests {
        tests = false;
    }
    // Without tests, unit tests inside `src/` go too: `#[cfg(test)]`
    // modules and `#[test]`/`#[tokio::test]` fns.
    config.skip_tests = !tests;
    config.std_catalog_only = flags.std_catalog_only;
    if let Some(c) = flags.min_confidence {
        min_confidence = c;
    }
    let skip = match skip_builder {
        Some(b) => Some(
            b.build()
                .map_err(|e| format!("invalid `skip` pattern: {e}"))?,
        ),
        None => None,
    };
    Ok(Settings {
        config,
        skip,
        tests,
        min_confidence,
        contexts,
    })
}

fn builder_root<'a>(workspace: Option<&'a MetaTable>, package: Option<&'a MetaTable>) -> &'a Path {
    workspace
        .filter(|w| !w.skip.is_empty())
        .or(package)
        .map(|t| t.base.as_path())
        .unwrap_or(Path::new("."))
}

/// A pattern relative to `base`, rewritten relative to `root`.
fn rebase(pattern: &str, base: &Path, root: &Path) -> String {
    let pattern = pattern.trim_start_matches("./");
    match base.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            format!("/{rel}/{}", pattern.trim_start_matches('/'))
        }
        _ if pattern.contains('/') && !pattern.starts_with('/') => format!("/{pattern}"),
        _ => pattern.to_owned(),
    }
}

fn strings(v: &Value, key: &str, at: &str) -> Result<Vec<String>, String> {
    let err = || format!("`{key}` in {at} must be an array of strings, like `{key} = [\"..\"]`");
    let arr = v.as_array().ok_or_else(err)?;
    arr.iter()
        .map(|x| x.as_str().map(str::to_owned).ok_or_else(err))
        .collect()
}

fn blocking(v: &Value, at: &str) -> Result<Vec<ExtraBlocking>, String> {
    let err = || {
        format!(
            "`blocking` in {at} must be an array of paths or `{{ path = \"..\", help = \"..\" }}` tables"
        )
    };
    let arr = v.as_array().ok_or_else(err)?;
    let mut out = Vec::new();
    for item in arr {
        match item {
            Value::String(s) => out.push(ExtraBlocking {
                path: s.clone(),
                help: None,
            }),
            Value::Table(t) => {
                for k in t.keys() {
                    if k != "path" && k != "help" {
                        let inner = format!("`blocking` of {at}");
                        return Err(unknown_key_in(k, &inner, &["path", "help"]));
                    }
                }
                let path = t.get("path").and_then(Value::as_str).ok_or_else(err)?;
                let help = match t.get("help") {
                    None => None,
                    Some(h) => Some(h.as_str().ok_or_else(err)?.to_owned()),
                };
                out.push(ExtraBlocking {
                    path: path.to_owned(),
                    help,
                });
            }
            _ => return Err(err()),
        }
    }
    Ok(out)
}

/// Checks a category or rule name given to a level; names the list and file.
pub fn check_level_key(name: &str, list: &str, at: &str) -> Result<(), String> {
    if name == "*"
        || name == "all"
        || Category::from_name(name).is_some()
        || Rule::find_blocking(name).is_some()
    {
        return Ok(());
    }
    let msg = pollguard_analysis::config::unknown_key_message(name);
    let head = format!("unknown category or rule `{name}`");
    let rest = msg.strip_prefix(&head).unwrap_or("");
    Err(format!("{head} in `{list}` of {at}{rest}"))
}

fn unknown_key(key: &str, at: &str) -> String {
    unknown_key_in(key, at, KEYS)
}

fn unknown_key_in(key: &str, at: &str, keys: &[&str]) -> String {
    match pollguard_analysis::config::closest(key, keys.iter().copied()) {
        Some(k) => format!("unknown key `{key}` in {at}: did you mean `{k}`?"),
        None => format!(
            "unknown key `{key}` in {at}: expected one of {}",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(src: &str) -> Result<MetaTable, String> {
        let v: toml::Table = src.parse().unwrap();
        parse_table(&Value::Table(v), "[x]", Path::new("/ws"))
    }

    #[test]
    fn typos_name_the_key() {
        assert_eq!(
            table("dney = [\"lock\"]").unwrap_err(),
            "unknown key `dney` in [x]: did you mean `deny`?"
        );
        assert_eq!(
            table("deny = [\"lok\"]").unwrap_err(),
            "unknown category or rule `lok` in `deny` of [x]: did you mean `lock`?"
        );
        assert!(
            table("deny = [\"fs\"]\nallow = [\"fs\"]")
                .unwrap_err()
                .contains("in both `allow` and `deny`")
        );
        assert!(table("tests = \"yes\"").unwrap_err().contains("`tests`"));
    }

    #[test]
    fn context_levels() {
        assert_eq!(
            table("[contexts]\ntset = \"warn\"").unwrap_err(),
            "unknown key `tset` in `contexts` of [x]: did you mean `test`?"
        );
        assert_eq!(
            table("[contexts]\nmain = \"wran\"").unwrap_err(),
            "unknown level `wran` for `main` in `contexts` of [x]: did you mean `warn`?"
        );
        assert!(
            table("contexts = 1")
                .unwrap_err()
                .contains("must be a table")
        );
        let ws = table("[contexts]\ntest = \"warn\"\nexample = \"allow\"").unwrap();
        let s = build(Some(&ws), None, &Flags::default()).unwrap();
        assert_eq!(s.level_in(Context::Test, Level::Deny), Level::Warn);
        assert_eq!(s.level_in(Context::Example, Level::Warn), Level::Allow);
        assert_eq!(s.level_in(Context::Main, Level::Deny), Level::Deny);
        assert_eq!(s.level_in(Context::Async, Level::Deny), Level::Deny);
    }

    #[test]
    fn flags_override_tables() {
        let ws = table(
            "deny = [\"lock\"]\nblocking = [\"a::b\", { path = \"c::d\", help = \"use e\" }]",
        )
        .unwrap();
        let flags = Flags {
            levels: vec![("lock".into(), Level::Warn)],
            ..Flags::default()
        };
        let s = build(Some(&ws), None, &flags).unwrap();
        assert_eq!(
            s.config.level(&pollguard_analysis::catalog::SYNC_LOCK),
            Level::Warn
        );
        assert_eq!(s.config.extra_blocking.len(), 2);
    }

    #[test]
    fn skip_patterns() {
        let ws = table("skip = [\"src/gen\", \"*.g.rs\"]").unwrap();
        let s = build(Some(&ws), None, &Flags::default()).unwrap();
        assert!(s.skips(Path::new("/ws/src/gen/a.rs"), false));
        assert!(s.skips(Path::new("/ws/src/x.g.rs"), false));
        assert!(!s.skips(Path::new("/ws/src/main.rs"), false));
        assert!(!s.skips(Path::new("/elsewhere/src/gen/a.rs"), false));
    }
}
