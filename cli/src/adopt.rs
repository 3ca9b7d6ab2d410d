//! What the CLI does with the engine's findings before printing them: where
//! each runs and the level its context allows, its identity for the
//! baseline, its group, its fix. Everything here works on the final
//! [`crate::diag::Diag`]s and the files' text, so the engine (walker,
//! resolver, transitive closure) can change underneath it.

use crate::diag::{Diag, Kind, Pos};
use crate::discover::Discovered;
use crate::scan::{self, ScanOptions, ScanResult};
use pollguard_analysis::{Confidence, Level};

/// Scans, then annotates every finding.
pub fn scan(discovered: &Discovered, opts: &ScanOptions) -> Result<ScanResult, String> {
    let mut result = scan::scan(discovered, opts)?;
    let located = crate::timing::time("main: context", || {
        crate::context::annotate(discovered, &mut result, opts.threads)
    })?;
    crate::timing::time("main: fix", || {
        crate::fix::attach(discovered, &mut result, &located)
    });
    report_unanalysed_files(&mut result);
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

/// Turns each file that was not analysed (it does not parse, is binary, is
/// not UTF-8, is nested too deeply, or the analysis panicked) into a
/// `PG004` warning, so every output format shows the lost coverage and the
/// human summary line counts it. An unreadable file stays a fatal problem
/// (exit 2). After [`crate::context::annotate`], which would parse the file.
fn report_unanalysed_files(result: &mut ScanResult) {
    let (skipped, fatal): (Vec<_>, Vec<_>) = std::mem::take(&mut result.problems)
        .into_iter()
        .partition(|p| !p.fatal);
    result.problems = fatal;
    if skipped.is_empty() {
        return;
    }
    for p in skipped {
        let start = p.pos.unwrap_or(Pos { line: 1, column: 1 });
        let parse_error = p.message.starts_with("cannot parse");
        let what = p.message.strip_prefix("skipped: ").unwrap_or(&p.message);
        result.diags.push(Diag {
            kind: Kind::UNPARSED_FILE,
            file: p.file,
            start,
            end: Pos {
                line: start.line,
                column: start.column + 1,
            },
            level: Level::Warn,
            confidence: Confidence::Certain,
            call: None,
            message: format!("file not analysed: {what}"),
            help: parse_error.then(|| Kind::UNPARSED_FILE.help().to_owned()),
            notes: vec![
                "its blocking calls are not reported, and calls of its fns from other files are not followed".to_owned(),
            ],
            chain: Vec::new(),
            extra: Default::default(),
        });
    }
    result
        .diags
        .sort_by(|a, b| (a.file, a.start, a.kind.code()).cmp(&(b.file, b.start, b.kind.code())));
}
