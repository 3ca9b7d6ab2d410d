//! The harness shared by the labeled corpora (`tests/corpus/`,
//! `tests/heldout/`, `tests/heldout2/`).
//!
//! Each file marks lines in the style of rustc's UI tests:
//! - `//~ fs`: a blocking call of category `fs` that must be reported;
//! - `//~ miss(fs)`: a blocking call the engine is known to miss;
//! - `//~ fp(fs)`: a call that does not block but is known to be reported;
//! - `//~ ok(fs)`: a trap: it looks like `fs` and must not be reported.
//!
//! A measurement fails on any difference between the labels and what the
//! engine reports, so a regression cannot slip by and an improvement updates
//! the labels (and the numbers in the README) in the same commit. It runs
//! with `lock` denied so that locks are measured too.

use pollguard_analysis::{Category, Config, Level, Options, analyze_file};
use std::collections::BTreeMap;
use std::path::Path;

mod labels;
use labels::{Counts, Label, labels, row};

/// Runs the engine over every file of `tests/<dir>/`, prints recall and
/// precision per category, and fails on any difference from the labels.
pub fn measure(dir: &str, min_files: usize) {
    let name_of_set = dir;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut config = Config::new();
    config.set_level("lock", Level::Deny).unwrap();
    let mut per_cat: BTreeMap<String, Counts> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= min_files,
        "the `{name_of_set}` corpus is missing files"
    );
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = syn::parse_file(&src).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        let analysis = analyze_file(&file, &Options::new(&config));
        assert!(analysis.errors.is_empty(), "{name}: {:?}", analysis.errors);
        // What the engine reported, per line.
        let mut reported: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for f in &analysis.findings {
            reported
                .entry(f.span.start().line)
                .or_default()
                .push(f.rule.category.name().to_owned());
        }
        for (idx, line) in src.lines().enumerate() {
            let lineno = idx + 1;
            let mut got = reported.remove(&lineno).unwrap_or_default();
            got.sort();
            let labels = labels(line);
            let mut want: Vec<String> = labels
                .iter()
                .filter_map(|l| match l {
                    Label::Hit(c) | Label::Fp(c) => Some(c.clone()),
                    _ => None,
                })
                .collect();
            want.sort();
            if got != want {
                mismatches.push(format!(
                    "{name}:{lineno}: labeled {want:?}, reported {got:?}: {}",
                    line.trim()
                ));
            }
            for l in &labels {
                let (cat, f): (&String, fn(&mut Counts)) = match l {
                    Label::Hit(c) => (c, |c| c.found += 1),
                    Label::Miss(c) => (c, |c| c.missed += 1),
                    Label::Fp(c) => (c, |c| c.false_pos += 1),
                    Label::Ok(c) => (c, |c| c.traps += 1),
                };
                assert!(
                    Category::from_name(cat).is_some(),
                    "{name}:{lineno}: unknown category `{cat}`"
                );
                f(per_cat.entry(cat.clone()).or_default());
            }
        }
    }

    let mut table = String::from(
        "| category | blocking calls | found | missed | false positives | traps passed | recall | precision |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut total = Counts::default();
    for (cat, c) in &per_cat {
        row(&mut table, cat, c);
        total.found += c.found;
        total.missed += c.missed;
        total.false_pos += c.false_pos;
        total.traps += c.traps;
    }
    row(&mut table, "**all**", &total);
    println!("{table}");
    assert!(
        mismatches.is_empty(),
        "labels and findings differ:\n{}",
        mismatches.join("\n")
    );
}
