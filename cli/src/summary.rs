//! Reading many findings: transitive findings grouped by the helper they
//! go through, and a table of where the findings are.

use crate::diag::{Context, Diag};
use crate::discover::Discovered;
use crate::scan::ScanResult;
use pollguard_analysis::{Level, catalog};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Above this many findings the human output ends with [`table`].
pub const SCREENFUL: usize = 20;

/// Sets `extra.group` of every transitive finding: the helper it reaches,
/// as the file defining it and its path (`src/config.rs#crate::config::load_config`).
/// A fn marked `#[pollguard::blocking]` has no chain; its path names it.
pub fn assign_groups(result: &mut ScanResult) {
    for d in &mut result.diags {
        let Some(rule) = d.kind.finding() else {
            continue;
        };
        d.extra.group = match d.chain.first() {
            Some(first) => Some(format!(
                "{}#{}",
                result.files[first.file].display, first.caller
            )),
            None if rule == &catalog::USER_BLOCKING => d.call.clone(),
            None => None,
        };
    }
}

/// The diagnostics to show, each with the others of its group (in order),
/// for human output: a group of several call sites is shown once, at its
/// first call site. Errors and warnings of one helper are shown apart, so
/// that a warning never hides an error.
pub fn grouped(diags: &[Diag]) -> Vec<(&Diag, Vec<&Diag>)> {
    let mut members: BTreeMap<(&str, Level), Vec<&Diag>> = BTreeMap::new();
    for d in diags {
        if let Some(g) = &d.extra.group {
            members.entry((g.as_str(), d.level)).or_default().push(d);
        }
    }
    let mut out = Vec::new();
    for d in diags {
        match d
            .extra
            .group
            .as_deref()
            .and_then(|g| members.remove(&(g, d.level)))
        {
            Some(mut all) => {
                let first = all.remove(0);
                out.push((first, all));
            }
            None if d.extra.group.is_some() => {}
            None => out.push((d, Vec::new())),
        }
    }
    out
}

fn top_dir(discovered: &Discovered, result: &ScanResult, file: usize) -> String {
    let display = &result.files[file].display;
    let Some(f) = discovered.files.get(file) else {
        return display.clone();
    };
    let package = &discovered.packages[f.package];
    let rel = f.path.strip_prefix(&package.root).unwrap_or(&f.path);
    let first = rel
        .components()
        .next()
        .filter(|_| rel.components().count() > 1)
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let member = package
        .root
        .strip_prefix(&discovered.base)
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.is_empty());
    match (member, first) {
        (Some(m), Some(d)) => format!("{m}/{d}"),
        (Some(m), None) => m,
        (None, Some(d)) => d,
        (None, None) => display.clone(),
    }
}

fn section(out: &mut String, title: &str, rows: &[(String, usize)]) {
    if rows.is_empty() {
        return;
    }
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "  {title}:");
    for (k, n) in rows {
        let _ = writeln!(out, "    {k:<width$}  {n:>5}");
    }
}

fn sorted(map: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut rows: Vec<(String, usize)> = map.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// The lines that open human output past [`SCREENFUL`] findings, so that
/// the first screen (a pager, a CI log) says where the findings are before
/// the diagnostics start: per context and per top-level directory (the five
/// largest). `None` at or below the threshold.
pub fn headline(discovered: &Discovered, result: &ScanResult) -> Option<String> {
    let findings: Vec<&Diag> = result
        .diags
        .iter()
        .filter(|d| d.kind.finding().is_some())
        .collect();
    if findings.len() <= SCREENFUL {
        return None;
    }
    let mut contexts = BTreeMap::new();
    let mut places = BTreeMap::new();
    for d in &findings {
        *contexts.entry(d.extra.context.name()).or_insert(0) += 1;
        *places
            .entry(top_dir(discovered, result, d.file))
            .or_insert(0) += 1;
    }
    let contexts: Vec<String> = Context::ALL
        .iter()
        .filter_map(|c| contexts.get(c.name()).map(|n| format!("{} {n}", c.name())))
        .collect();
    let places = sorted(places);
    let mut where_: Vec<String> = places
        .iter()
        .take(5)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    if places.len() > 5 {
        where_.push(format!("{} more", places.len() - 5));
    }
    Some(format!(
        "pollguard: {} findings: {}; in {}\n\
         pollguard: async code is listed first, a summary table ends the output\n\n",
        findings.len(),
        contexts.join(", "),
        where_.join(", "),
    ))
}

/// The order human output lists findings in: where a blocking call costs
/// the most first (a worker's tasks, then `main`, then tests, examples and
/// benchmarks), by position within each; a group goes where its most costly
/// call site does, and what is not a finding (an unused suppression, a file
/// not analysed) comes last.
pub fn by_context<'a>(groups: &mut [(&'a Diag, Vec<&'a Diag>)]) {
    let rank = |d: &Diag| {
        Context::ALL
            .iter()
            .position(|c| *c == d.extra.context)
            .filter(|_| d.kind.finding().is_some())
            .unwrap_or(Context::ALL.len())
    };
    groups.sort_by_key(|(d, others)| others.iter().map(|o| rank(o)).fold(rank(d), usize::min));
}

/// The table that ends human output: findings per rule, per context, per
/// top-level directory (or member), and the fns called from the most places.
pub fn table(discovered: &Discovered, result: &ScanResult, baselined: usize) -> String {
    let findings: Vec<&Diag> = result
        .diags
        .iter()
        .filter(|d| d.kind.finding().is_some())
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "summary: {} {}",
        findings.len(),
        if findings.len() == 1 {
            "finding"
        } else {
            "findings"
        }
    );
    if baselined > 0 {
        let _ = write!(out, " ({baselined} more in the baseline)");
    }
    out.push('\n');
    let mut rules = BTreeMap::new();
    let mut contexts = BTreeMap::new();
    let mut places = BTreeMap::new();
    let mut called: BTreeMap<String, usize> = BTreeMap::new();
    for d in &findings {
        *rules
            .entry(format!("{} {}", d.kind.code(), d.kind.name()))
            .or_insert(0) += 1;
        *contexts
            .entry(d.extra.context.name().to_owned())
            .or_insert(0) += 1;
        *places
            .entry(top_dir(discovered, result, d.file))
            .or_insert(0) += 1;
        let callee = match (&d.extra.group, d.chain.first()) {
            (Some(_), Some(first)) => format!(
                "`{}` ({})",
                pollguard_analysis::transitive::short_name(&first.caller),
                result.files[first.file].display
            ),
            _ => format!("`{}`", d.call.as_deref().unwrap_or("?")),
        };
        *called.entry(callee).or_insert(0) += 1;
    }
    section(&mut out, "by rule", &sorted(rules));
    let contexts: Vec<(String, usize)> = Context::ALL
        .iter()
        .filter_map(|c| contexts.get(c.name()).map(|n| (c.name().to_owned(), *n)))
        .collect();
    section(&mut out, "by context", &contexts);
    section(&mut out, "by directory", &sorted(places));
    let called: Vec<(String, usize)> = sorted(called)
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .take(10)
        .collect();
    section(&mut out, "called from the most places", &called);
    out
}
