//! Runs the engine's transitive closure over files analysed on other threads.
//!
//! The workers hand back each file's summaries with positions (line and
//! column) instead of the parser's spans, which only mean something on the
//! thread that parsed the file; the engine's closure is generic over how
//! positions are held, so it runs on them directly.

use crate::diag::{ChainLoc, Pos};
use crate::scan::FileAnalysis;
use crate::settings::Settings;
use foldhash::HashMap;
use pollguard_analysis::Finding;
use pollguard_analysis::model::{CrateModel, LazyModel};
use pollguard_analysis::transitive::{
    CrateKind, Reach, Unit, calls_from_tests, findings_of_calls, findings_with, short_name,
};
use std::sync::Arc;

/// One file in one crate.
pub(crate) struct UnitIn<'a> {
    /// The crate.
    pub krate: &'a str,
    /// Index of the file.
    pub file: usize,
    /// Its analysis.
    pub analysis: &'a FileAnalysis,
    /// Its package's settings.
    pub settings: &'a Arc<Settings>,
    /// Its crate's model: calls into dependencies resolve through it.
    pub model: Option<&'a CrateModel>,
    /// What its crate's model answered for the paths its calls look up,
    /// kept from an earlier run (a dependency's, see [`crate::depview`]).
    pub answers: Option<&'a HashMap<String, Option<(String, String)>>>,
    /// Its crate's model when built on demand: for paths `answers` lacks.
    pub lazy: Option<&'a LazyModel>,
    /// A file of a dependency.
    pub dependency: bool,
    /// For a dependency, the name its code is called by (`os_info`): what
    /// its paths' `crate::` stands for in a chain.
    pub lib: &'a str,
    /// What its crate is for.
    pub kind: CrateKind,
    /// The whole file is test code.
    pub test: bool,
}

/// A transitive finding: the file it is in, the finding, the chain located.
pub(crate) type Located = (usize, Finding<Pos>, Vec<ChainLoc>);

/// The transitive findings `(file, finding, chain)` and the escape hatches
/// they used `(file, hatch)`.
pub(crate) fn run(units: &[UnitIn<'_>]) -> (Vec<Located>, Vec<(usize, usize)>) {
    let engine_units = engine_units(units);
    let resolve = |u: usize, path: &str| resolve(units, u, path);
    // The calls made in tests see their own closure (code under
    // `cfg(test)` included): on a second core, it is computed beside the
    // main one, at the end of a run whose workers are done.
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (found, hatches) = if two_cores && engine_units.iter().any(calls_from_tests) {
        std::thread::scope(|scope| {
            let tests = std::thread::Builder::new()
                .name("pollguard-tests-closure".to_owned())
                .spawn_scoped(scope, || {
                    let engine_units = self::engine_units(units);
                    findings_of_calls(&engine_units, &resolve, true)
                });
            let (mut found, mut hatches) = findings_of_calls(&engine_units, &resolve, false);
            let (more, more_hatches) = match tests.map(|t| t.join()) {
                Ok(Ok(half)) => half,
                // No thread to be had, or it panicked (the same work here
                // then panics the same way, with its message).
                _ => findings_of_calls(&engine_units, &resolve, true),
            };
            found.extend(more);
            hatches.extend(more_hatches);
            (found, hatches)
        })
    } else {
        findings_with(&engine_units, &resolve)
    };
    let used = hatches
        .into_iter()
        .map(|(u, h)| (units[u].file, h))
        .collect();
    let out = found
        .into_iter()
        .map(|uf| {
            let unit = &units[uf.unit];
            let f = uf.finding;
            let chain: Vec<ChainLoc> = f
                .chain
                .iter()
                .map(|s| ChainLoc {
                    caller: named(&units[s.unit], &s.caller),
                    callee: named(&units[s.unit], &s.callee),
                    file: units[s.unit].file,
                    pos: s.span,
                    rule: s.rule,
                })
                .collect();
            (unit.file, f, chain)
        })
        .collect();
    (out, used)
}

/// A path of `unit`'s code with a dependency's `crate::` written as the
/// crate's name: in a chain, `crate::get` says nothing of which crate.
fn named(unit: &UnitIn<'_>, path: &str) -> String {
    match path.strip_prefix("crate::") {
        Some(rest) if unit.dependency && !unit.lib.is_empty() => format!("{}::{rest}", unit.lib),
        _ => path.to_owned(),
    }
}

/// What the closure reaches from each fn of `units`, numbered as
/// [`pollguard_analysis::transitive::reach`] numbers them.
pub(crate) fn reach(units: &[UnitIn<'_>]) -> Vec<Reach> {
    let engine_units = engine_units(units);
    let resolve = |u: usize, path: &str| resolve(units, u, path);
    pollguard_analysis::transitive::reach(&engine_units, &resolve)
}

/// The engine's view of the units. One closure for the whole workspace:
/// each call site is judged by its own package's configuration.
fn engine_units<'a>(units: &'a [UnitIn<'_>]) -> Vec<Unit<'a, Pos>> {
    units
        .iter()
        .map(|u| Unit {
            krate: u.krate,
            file: u.analysis,
            config: &u.settings.config,
            dependency: u.dependency,
            kind: u.kind,
            test: u.test,
        })
        .collect()
}

/// Where a path called in unit `u` leads in a dependency: what its crate's
/// model answered before, else what the model answers now.
fn resolve(units: &[UnitIn<'_>], u: usize, path: &str) -> Option<(String, String)> {
    let unit = &units[u];
    if let Some(a) = unit.answers.and_then(|a| a.get(path)) {
        return a.clone();
    }
    match unit.model {
        Some(m) => m.resolve_extern(path),
        None => unit.lazy?.get().resolve_extern(path),
    }
}

/// The note naming a chain: `` `load_config` → `std::fs::read_to_string` ``
/// (the location is added by the caller, which knows file names).
pub(crate) fn chain_names(call: &str, chain: &[ChainLoc]) -> String {
    let Some(first) = chain.first() else {
        return format!("`{}` is marked `#[pollguard::blocking]`", short_name(call));
    };
    let mut names = vec![format!("`{}`", step_name(&first.caller))];
    for (i, step) in chain.iter().enumerate() {
        if i + 1 == chain.len() {
            names.push(format!("`{}`", step.callee));
        } else {
            names.push(format!("`{}`", step_name(&step.callee)));
        }
    }
    names.join(" → ")
}

/// A step's fn, short: the code's own by its short name, another crate's
/// with the crate's name before it (`os_info::get`, not a bare `get` that
/// could be anyone's).
fn step_name(path: &str) -> String {
    let short = short_name(path);
    match path.split_once("::") {
        Some((head, _)) if head != "crate" && short != path => format!("{head}::{short}"),
        _ => short.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(caller: &str, callee: &str) -> ChainLoc {
        ChainLoc {
            caller: caller.to_owned(),
            callee: callee.to_owned(),
            file: 0,
            pos: Pos { line: 1, column: 1 },
            rule: None,
        }
    }

    #[test]
    fn a_chain_names_the_crate_of_each_step_outside_the_code() {
        let chain = [
            step(
                "crate::config::resolve_role",
                "crate::config::Config::extract_role",
            ),
            step("crate::config::Config::extract_role", "os_info::get"),
            step("os_info::get", "os_info::imp::current_platform"),
            step(
                "os_info::imp::current_platform",
                "std::process::Command::output",
            ),
        ];
        assert_eq!(
            chain_names("crate::config::resolve_role", &chain),
            "`resolve_role` → `Config::extract_role` → `os_info::get` → \
             `os_info::current_platform` → `std::process::Command::output`"
        );
    }
}
