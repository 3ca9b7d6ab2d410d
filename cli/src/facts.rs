//! `--write-facts`: what reading the dependencies found, for the attribute.
//!
//! Every finding whose chain goes into a dependency gives one fact: the call
//! as the workspace's code resolves it, the rule of the blocking call
//! reached, and that call with its place (see `pollguard_analysis::facts`).

use crate::scan::ScanResult;
use pollguard_analysis::facts::{self, DependencyFact};
use std::collections::BTreeMap;
use std::path::Path;

/// The facts in `result`, one per path.
pub(crate) fn of(result: &ScanResult) -> Vec<DependencyFact> {
    let mut out: BTreeMap<String, DependencyFact> = BTreeMap::new();
    for d in &result.diags {
        let (Some(call), Some(first), Some(last)) = (&d.call, d.chain.first(), d.chain.last())
        else {
            continue;
        };
        let into_dependency = result.files.get(first.file).is_some_and(|f| f.dependency);
        if !into_dependency || !d.kind.0.category.is_blocking() {
            continue;
        }
        let place = result.files.get(last.file).map_or_else(String::new, |f| {
            format!(" at {}:{}", f.display, last.pos.line)
        });
        out.entry(call.clone()).or_insert_with(|| DependencyFact {
            path: call.clone(),
            rule: d.kind.0,
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
