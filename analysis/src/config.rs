//! What a user can change: levels, extra blocking paths, extra offloaders.
//!
//! The attribute fills a [`Config`] from its arguments and the CLI from
//! `Cargo.toml` metadata and flags; both hand it to the same walker.

use crate::catalog::{Category, Level, Rule};
use std::collections::HashMap;

/// A path the user declared blocking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtraBlocking {
    /// The fn's path, e.g. `my_app::db::query` or `crate::db::query`.
    pub path: String,
    /// What to do instead; the rule's default help when `None`.
    pub help: Option<String>,
}

/// Settings shared by the attribute and the CLI.
#[derive(Clone, Debug, Default)]
pub struct Config {
    categories: HashMap<Category, Level>,
    rules: HashMap<&'static str, Level>,
    /// Callee paths whose findings are allowed (`allow("crate::path::fn")`):
    /// an exact path or a path prefix (`std::fs` allows `std::fs::read`).
    pub allowed_calls: Vec<String>,
    /// Fns the user declared blocking.
    pub extra_blocking: Vec<ExtraBlocking>,
    /// Extra offloaders: fn paths whose closure arguments run off the executor.
    pub extra_offloaders: Vec<String>,
    /// Skip test code: items under `#[cfg(test)]` and fns marked `#[test]`,
    /// `#[tokio::test]` or any other `#[..::test]`.
    pub skip_tests: bool,
    /// Calls into dependencies known to block, by path (the attribute reads
    /// them from the facts file; the CLI reads the dependencies instead).
    pub dependency_facts: HashMap<String, crate::facts::DependencyFact>,
    /// Match only the catalog's entries for the standard library and the
    /// async runtimes (see [`crate::catalog::is_std_or_runtime`]): with
    /// dependencies read, what third-party crates block is then found by
    /// reading them alone. For measuring that; off by default.
    pub std_catalog_only: bool,
}

/// A configuration error, naming what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The default configuration: every rule at its default level.
    pub fn new() -> Config {
        Config::default()
    }

    /// Sets the level of a category (`fs`) or a rule (`fs-open`, `PG112`).
    /// `*` or `all` sets every category.
    pub fn set_level(&mut self, key: &str, level: Level) -> Result<(), ConfigError> {
        if key == "*" || key == "all" {
            for cat in Category::ALL {
                self.categories.insert(*cat, level);
            }
            self.rules.clear();
            return Ok(());
        }
        if let Some(cat) = Category::from_name(key) {
            self.categories.insert(cat, level);
            return Ok(());
        }
        if let Some(rule) = Rule::find_blocking(key) {
            self.rules.insert(rule.code, level);
            return Ok(());
        }
        Err(ConfigError(unknown_key_message(key)))
    }

    /// The effective level of `rule`: a rule setting wins over its category's.
    pub fn level(&self, rule: &Rule) -> Level {
        if let Some(level) = self.rules.get(rule.code) {
            return *level;
        }
        self.categories
            .get(&rule.category)
            .copied()
            .unwrap_or(rule.default_level)
    }

    /// Whether a finding on this resolved callee path is allowed by
    /// [`Config::allowed_calls`].
    pub fn call_allowed(&self, call: &str) -> bool {
        self.allowed_calls.iter().any(|a| path_has_prefix(call, a))
    }
}

/// `call` equals `prefix` or continues it at a `::` boundary.
pub(crate) fn path_has_prefix(call: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_start_matches("::");
    let call = call.trim_start_matches("::");
    call == prefix || (call.starts_with(prefix) && call[prefix.len()..].starts_with("::"))
}

/// An error message for a category or rule name that does not exist, with the
/// closest match when there is one.
pub fn unknown_key_message(key: &str) -> String {
    let mut names: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
    names.extend(
        crate::catalog::RULES
            .iter()
            .filter(|r| r.category.is_blocking())
            .map(|r| r.name),
    );
    match closest(key, names) {
        Some(name) => format!("unknown category or rule `{key}`: did you mean `{name}`?"),
        None => format!(
            "unknown category or rule `{key}`: expected one of {}",
            Category::ALL
                .iter()
                .map(|c| format!("`{}`", c.name()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The candidate closest to a misspelled `key`, if one is close enough to be
/// what was meant (an edit distance of 2, or a third of its length).
pub fn closest<'a>(key: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(key, c), c))
        .min()
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_by_category_and_rule() {
        let mut cfg = Config::new();
        let lock = &crate::catalog::SYNC_LOCK;
        let open = &crate::catalog::FS_OPEN;
        assert_eq!(cfg.level(lock), Level::Allow);
        cfg.set_level("lock", Level::Deny).unwrap();
        assert_eq!(cfg.level(lock), Level::Deny);
        cfg.set_level("fs", Level::Warn).unwrap();
        cfg.set_level("PG112", Level::Allow).unwrap();
        assert_eq!(cfg.level(open), Level::Allow);
        assert_eq!(cfg.level(&crate::catalog::FS_CALL), Level::Warn);
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = Config::new().set_level("sleeep", Level::Deny).unwrap_err();
        assert_eq!(
            err.0,
            "unknown category or rule `sleeep`: did you mean `sleep`?"
        );
        let err = Config::new()
            .set_level("zzzzzzzzzz", Level::Deny)
            .unwrap_err();
        assert!(
            err.0
                .starts_with("unknown category or rule `zzzzzzzzzz`: expected one of `sleep`")
        );
    }

    #[test]
    fn allowed_call_prefixes() {
        let cfg = Config {
            allowed_calls: vec!["std::fs".into()],
            ..Config::new()
        };
        assert!(cfg.call_allowed("std::fs::read"));
        assert!(cfg.call_allowed("std::fs"));
        assert!(!cfg.call_allowed("std::fsx::read"));
    }
}
