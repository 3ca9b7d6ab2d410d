//! The labels of the corpora and the table they are reported in, shared by
//! the engine's corpus tests and the CLI's multi-file sets
//! (`cli/tests/labeled.rs` includes this file by path).

use std::fmt::Write as _;

#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub found: usize,
    pub missed: usize,
    pub false_pos: usize,
    pub traps: usize,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
pub enum Label {
    Hit(String),
    Miss(String),
    Fp(String),
    Ok(String),
}

pub fn labels(line: &str) -> Vec<Label> {
    let Some((_, marks)) = line.split_once("//~") else {
        return Vec::new();
    };
    marks
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| {
            let inner = |p: &str| category(&m[p.len()..m.len() - 1]).to_owned();
            if m.starts_with("miss(") {
                Label::Miss(inner("miss("))
            } else if m.starts_with("fp(") {
                Label::Fp(inner("fp("))
            } else if m.starts_with("ok(") {
                Label::Ok(inner("ok("))
            } else {
                Label::Hit(category(m).to_owned())
            }
        })
        .collect()
}

/// A category as the engine names it. `heldout7`'s labeler wrote `stdin`
/// for reads of standard input, which the engine files under `stdio`: the
/// same category under another name, not a mismatch (its labels stay as
/// written; the figures measured before this mapping are recorded as such).
fn category(label: &str) -> &str {
    match label {
        "stdin" => "stdio",
        other => other,
    }
}

pub fn row(table: &mut String, cat: &str, c: &Counts) {
    let pct = |n: usize, d: usize| {
        if d == 0 {
            "n/a".to_owned()
        } else {
            format!("{:.0}%", 100.0 * n as f64 / d as f64)
        }
    };
    writeln!(
        table,
        "| {cat} | {} | {} | {} | {} | {} | {} | {} |",
        c.found + c.missed,
        c.found,
        c.missed,
        c.false_pos,
        c.traps,
        pct(c.found, c.found + c.missed),
        pct(c.found, c.found + c.false_pos),
    )
    .unwrap();
}
