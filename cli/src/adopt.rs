//! What the CLI does with the engine's findings before printing them: where
//! each runs and the level its context allows, its identity for the
//! baseline, its group, its fix. Everything here works on the final
//! [`crate::diag::Diag`]s and the files' text, so the engine (walker,
//! resolver, transitive closure) can change underneath it.

use crate::discover::Discovered;
use crate::scan::{self, ScanOptions, ScanResult};
use pollguard_analysis::Level;

/// Scans, then annotates every finding.
pub fn scan(discovered: &Discovered, opts: &ScanOptions) -> Result<ScanResult, String> {
    let mut result = scan::scan(discovered, opts)?;
    let located = crate::context::annotate(discovered, &mut result, opts.threads)?;
    crate::fix::attach(discovered, &mut result, &located);
    // Identity does not depend on configuration: fingerprints come before
    // context levels drop anything.
    crate::baseline::assign(&mut result);
    crate::summary::assign_groups(&mut result);
    apply_context_levels(discovered, &mut result);
    Ok(result)
}

/// Lowers each finding to the level its context allows (`contexts` in the
/// configuration), dropping those it allows.
fn apply_context_levels(discovered: &Discovered, result: &mut ScanResult) {
    result.diags.retain_mut(|d| {
        if d.kind.finding().is_none() {
            return true;
        }
        let Some(file) = discovered.files.get(d.file) else {
            return true;
        };
        let settings = &discovered.packages[file.package].settings;
        d.level = settings.level_in(d.extra.context, d.level);
        d.level != Level::Allow
    });
}
