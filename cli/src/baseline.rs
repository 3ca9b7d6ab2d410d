//! The baseline: the findings a codebase already had when it adopted
//! pollguard, recorded so that only new ones fail a build.
//!
//! A finding's identity is its rule, its file, the item it sits in
//! (`Server::handle`), its call's text without whitespace or comments, and
//! which of the identical calls of that item it is (0 for the first). Lines
//! inserted above it, other fns changed and the file reformatted around it
//! leave all five unchanged; a second identical call in the same fn is new.
//! The fingerprint is a hash of the five, stable across runs, platforms and
//! pollguard versions (FNV-1a and a finalizer, written out here rather than taken from
//! `std`, whose hasher may change).
//!
//! The file is JSON with one entry per line, sorted by file, item, rule,
//! code and occurrence, never by line: rewriting it after an edit changes
//! only the lines of findings that came or went.

use crate::diag::{Diag, Kind, Pos};
use crate::scan::{ScanResult, ScannedFile};
use foldhash::{HashMap, HashMapExt};
use pollguard_analysis::{Confidence, Level};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// The default file name, at the workspace root.
pub const DEFAULT_FILE: &str = "pollguard-baseline.json";

/// The format version written in the file.
const VERSION: u64 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The identity; the other fields say what it was made of.
    pub fingerprint: String,
    /// `PG101`.
    pub rule: String,
    /// The file, as outputs name it.
    pub file: String,
    /// The enclosing item (`Server::handle`).
    pub item: String,
    /// The call's text without whitespace or comments.
    pub code: String,
    /// Which of the identical calls of the item.
    pub occurrence: usize,
}

/// A baseline file, read.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// The entries, with the line of the file each is on.
    pub entries: Vec<(usize, Entry)>,
}

#[derive(Serialize, Deserialize)]
struct FileFormat {
    version: u64,
    findings: Vec<Entry>,
}

/// FNV-1a, 64 bits, then MurmurHash3's finalizer: FNV alone changes few
/// bits for a change near the end, and similar fingerprints are hard to
/// tell apart by eye.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The fingerprint of a finding, from what identifies it.
pub fn fingerprint(rule: &str, file: &str, item: &str, code: &str, occurrence: usize) -> String {
    let occurrence = occurrence.to_string();
    format!(
        "{:016x}",
        fnv1a(&["v1", rule, file, item, code, &occurrence])
    )
}

/// Sets `extra.fingerprint` of every diagnostic (after [`crate::context::annotate`]).
pub fn assign(result: &mut ScanResult) {
    for d in &mut result.diags {
        d.extra.fingerprint = fingerprint(
            d.kind.code(),
            &result.files[d.file].display,
            &d.extra.item,
            &d.extra.code,
            d.extra.occurrence,
        );
    }
}

fn entry(d: &Diag, files: &[ScannedFile]) -> Entry {
    Entry {
        fingerprint: d.extra.fingerprint.clone(),
        rule: d.kind.code().to_owned(),
        file: files[d.file].display.clone(),
        item: d.extra.item.clone(),
        code: d.extra.code.clone(),
        occurrence: d.extra.occurrence,
    }
}

fn sort_key(e: &Entry) -> (&str, &str, &str, &str, usize) {
    (&e.file, &e.item, &e.rule, &e.code, e.occurrence)
}

/// The baseline file's text for these diagnostics.
pub fn render(result: &ScanResult) -> String {
    let mut entries: Vec<Entry> = result
        .diags
        .iter()
        // A file that was not analysed is not a finding to accept: it stays
        // reported until it parses or is skipped.
        .filter(|d| d.kind != Kind::UNPARSED_FILE)
        .map(|d| entry(d, &result.files))
        .collect();
    entries.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let mut out = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [\n");
    for (i, e) in entries.iter().enumerate() {
        let line = serde_json::to_string(e).unwrap_or_default();
        let comma = if i + 1 < entries.len() { "," } else { "" };
        out.push_str(&format!("    {line}{comma}\n"));
    }
    out.push_str("  ]\n}\n");
    out
}

/// Writes the baseline; returns how many findings it holds.
pub fn write(path: &Path, result: &ScanResult) -> Result<usize, String> {
    let text = render(result);
    std::fs::write(path, &text)
        .map_err(|e| format!("cannot write the baseline `{}`: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| l.contains("\"fingerprint\""))
        .count())
}

/// What `--write-baseline` prints after writing `n` findings to `path`:
/// where, and the exact command that uses the file. `args` are the
/// arguments that chose the files (`--manifest-path ..` or the paths), to
/// repeat in that command.
pub fn written_message(
    n: usize,
    path: &Path,
    cwd: &Path,
    discovered: &crate::discover::Discovered,
    args: &[String],
) -> String {
    let path = &crate::discover::normalize(path);
    let shown = crate::discover::display_path(path, cwd);
    let findings = if n == 1 { "finding" } else { "findings" };
    let rest: String = args.iter().map(|a| format!(" {}", shell_word(a))).collect();
    let command = format!("cargo pollguard{rest}");
    if discovered
        .baseline
        .as_deref()
        .map(crate::discover::normalize)
        .as_ref()
        == Some(path)
    {
        return format!(
            "pollguard: wrote {n} {findings} to {shown}, the configured `baseline`: `{command}` now fails only on new findings\n"
        );
    }
    let mut out = format!(
        "pollguard: wrote {n} {findings} to {shown}\npollguard: to fail only on new findings, run `cargo pollguard --baseline {}{rest}`",
        shell_word(&shown)
    );
    // In path mode no manifest's `baseline` is read.
    let manifest = discovered.base.join("Cargo.toml");
    if discovered.packages.iter().any(|p| p.manifest.is_some()) && manifest.is_file() {
        out.push_str(&format!(
            ", or add `baseline = \"{}\"` to [workspace.metadata.pollguard] of {} and run `{command}`",
            crate::discover::display_path(path, &discovered.base),
            crate::discover::display_path(&manifest, cwd)
        ));
    }
    out.push('\n');
    out
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:+,@%".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Reads a baseline file.
pub fn read(path: &Path) -> Result<(Baseline, String), String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read the baseline `{}`: {e}; create it with `cargo pollguard --write-baseline`",
            path.display()
        )
    })?;
    let parsed: FileFormat = serde_json::from_str(&text).map_err(|e| {
        format!(
            "cannot parse the baseline `{}`: {e}; rewrite it with `cargo pollguard --write-baseline`",
            path.display()
        )
    })?;
    if parsed.version != VERSION {
        return Err(format!(
            "the baseline `{}` has version {}, this pollguard reads version {VERSION}: rewrite it with `cargo pollguard --write-baseline`",
            path.display(),
            parsed.version
        ));
    }
    // The line of each entry, for stale-entry diagnostics: entries are
    // found in order, each by its fingerprint.
    let mut lines = text.lines().enumerate();
    let entries = parsed
        .findings
        .into_iter()
        .map(|e| {
            let needle = format!("\"{}\"", e.fingerprint);
            let line = lines
                .by_ref()
                .find(|(_, l)| l.contains(&needle))
                .map_or(1, |(i, _)| i + 1);
            (line, e)
        })
        .collect();
    Ok((Baseline { entries }, text))
}

/// What applying a baseline did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Findings left out because the baseline has them.
    pub baselined: usize,
}

/// Drops the findings the baseline has; with `report_stale`, adds a
/// `stale-baseline` warning for each entry that matches no finding, located
/// in the baseline file (added to the scanned files as `display`).
pub fn apply(
    baseline: &Baseline,
    text: String,
    display: String,
    report_stale: bool,
    result: &mut ScanResult,
) -> Applied {
    let mut wanted: HashMap<&str, usize> = HashMap::new();
    for (i, (_, e)) in baseline.entries.iter().enumerate() {
        wanted.insert(&e.fingerprint, i);
    }
    let mut used = vec![false; baseline.entries.len()];
    let before = result.diags.len();
    result
        .diags
        .retain(|d| match wanted.get(d.extra.fingerprint.as_str()) {
            Some(_) if d.kind == Kind::UNPARSED_FILE => true,
            Some(&i) => {
                used[i] = true;
                false
            }
            None => true,
        });
    let applied = Applied {
        baselined: before - result.diags.len(),
    };
    if report_stale && used.iter().any(|u| !u) {
        let file = result.files.len();
        let lines: Vec<&str> = text.lines().collect();
        for ((line, e), used) in baseline.entries.iter().zip(&used) {
            if *used {
                continue;
            }
            let width = lines.get(line - 1).map_or(1, |l| l.chars().count());
            let indent = lines
                .get(line - 1)
                .map_or(0, |l| l.chars().take_while(|c| c.is_whitespace()).count());
            let item = if e.item.is_empty() {
                String::new()
            } else {
                format!(" in `{}`", e.item)
            };
            result.diags.push(Diag {
                kind: Kind::STALE_BASELINE,
                file,
                start: Pos {
                    line: *line,
                    column: indent + 1,
                },
                end: Pos {
                    line: *line,
                    column: width + 1,
                },
                level: Level::Warn,
                confidence: Confidence::Certain,
                call: None,
                message: format!(
                    "baselined {} finding `{}`{item} of {} no longer exists",
                    e.rule, e.code, e.file
                ),
                help: Some(Kind::STALE_BASELINE.help().to_owned()),
                notes: Vec::new(),
                chain: Vec::new(),
                extra: Default::default(),
            });
        }
        result.files.push(ScannedFile {
            display,
            text: Some(Arc::from(text)),
            dependency: false,
        });
    }
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        // A fixed value: changing the hash would invalidate every baseline.
        assert_eq!(
            fingerprint("PG101", "src/main.rs", "main", "std::thread::sleep(d)", 0),
            fingerprint("PG101", "src/main.rs", "main", "std::thread::sleep(d)", 0)
        );
        assert_eq!(
            fingerprint("PG101", "src/main.rs", "main", "std::thread::sleep(d)", 0),
            "47791fae9396fc6f"
        );
        assert_ne!(
            fingerprint("PG101", "src/main.rs", "main", "std::thread::sleep(d)", 0),
            fingerprint("PG101", "src/main.rs", "main", "std::thread::sleep(d)", 1)
        );
        // Parts are separated: moving a character between them changes it.
        assert_ne!(
            fingerprint("PG101", "a", "bc", "x", 0),
            fingerprint("PG101", "ab", "c", "x", 0)
        );
    }
}
