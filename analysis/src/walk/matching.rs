//! Matching resolved paths and method names against the catalog.

use super::*;

/// The catalog rule whose path or prefix matcher matches `path`.
pub(super) fn match_path(path: &str) -> Option<&'static Rule> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Rule>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for &r in RULES {
            for m in r.matchers {
                if let Matcher::Path(p) = m {
                    map.entry(*p).or_insert(r);
                }
            }
        }
        map
    });
    if let Some(r) = index.get(path) {
        return Some(r);
    }
    RULES.iter().copied().find(|r| {
        r.matchers.iter().any(|m| match m {
            Matcher::Prefix(p) => crate::config::path_has_prefix(path, p),
            _ => false,
        })
    })
}

/// The method matchers of each method name, in catalog order.
pub(super) fn method_matchers(name: &str) -> &'static [(&'static Rule, &'static Matcher)] {
    static INDEX: OnceLock<HashMap<&'static str, Vec<(&'static Rule, &'static Matcher)>>> =
        OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<_>> = HashMap::new();
        for &r in RULES {
            for m in r.matchers {
                if let Matcher::Method { name, .. } = m {
                    map.entry(*name).or_default().push((r, m));
                }
            }
        }
        map
    });
    index.get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// Single-segment names distinctive enough to match without a `use` in sight.
pub(super) const BARE_NAMES: &[&str] = &["sleep"];

/// A catalog path that ends with `written` (at a segment boundary).
pub(super) fn match_suffix(written: &str) -> Option<(&'static Rule, &'static str)> {
    if !written.contains("::") && !BARE_NAMES.contains(&written) {
        return None;
    }
    let tail = format!("::{written}");
    RULES.iter().copied().find_map(|r| {
        r.matchers.iter().find_map(|m| match m {
            Matcher::Path(p) if p.ends_with(&tail) && p.starts_with("std::") => Some((r, *p)),
            _ => None,
        })
    })
}
