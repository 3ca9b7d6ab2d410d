//! `--write-facts`: what reading the dependencies found, for the attribute.
//!
//! Every finding whose chain goes into a dependency gives one fact: the call
//! as the workspace's code resolves it, the rule of the blocking call
//! reached, and that call with its place (see `pollguard_analysis::facts`).

use crate::scan::ScanResult;
use pollguard_analysis::facts::{self, DependencyFact};
use std::collections::BTreeMap;
use std::path::Path;

/// The facts in `result`, one per path: where async code calls into a
/// dependency, and where a sync helper of the workspace does (aichat's
/// `interpolate_variables` calls `os_info::get`): the attribute needs the
/// helper's callee to know the helper blocks.
pub(crate) fn of(result: &ScanResult) -> Vec<DependencyFact> {
    let mut out: BTreeMap<String, DependencyFact> = BTreeMap::new();
    let in_dependency = |file: usize| result.files.get(file).is_some_and(|f| f.dependency);
    for d in &result.diags {
        let (Some(call), Some(last)) = (&d.call, d.chain.last()) else {
            continue;
        };
        // The call into the dependency: the finding's own, or the chain's
        // step from the workspace's last fn into it.
        let Some(k) = d.chain.iter().position(|step| in_dependency(step.file)) else {
            continue;
        };
        let (path, rule) = if k == 0 {
            (call.clone(), d.kind.0)
        } else {
            match last.rule {
                Some(rule) => (d.chain[k - 1].callee.clone(), rule),
                None => continue,
            }
        };
        if !rule.category.is_blocking() {
            continue;
        }
        let place = result.files.get(last.file).map_or_else(String::new, |f| {
            format!(" at {}:{}", f.display, last.pos.line)
        });
        out.entry(path.clone()).or_insert_with(|| DependencyFact {
            path,
            rule,
            via: format!("`{}`{place}", last.callee),
        });
    }
    out.into_values().collect()
}

/// Writes `facts` to `path`; the number written.
pub(crate) fn write(path: &Path, facts: &[DependencyFact]) -> Result<usize, String> {
    std::fs::write(path, facts::render(facts))
        .map_err(|e| format!("cannot write the facts file `{}`: {e}", path.display()))?;
    Ok(facts.len())
}
