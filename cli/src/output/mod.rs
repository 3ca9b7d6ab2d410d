//! The output formats. Each writes to stdout; problems with files (cannot
//! parse, binary, unreadable) and the human summary go to stderr.

pub mod sarif;

use crate::diag::{Context, Diag, Pos, Problem};
use crate::discover::Discovered;
use crate::scan::ScanResult;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, ColorChoice, StandardStream, WriteColor};
use codespan_reporting::term::{self, Chars};
use serde_json::{Value, json};
use std::io::Write;

/// What to render from.
pub struct Report<'a> {
    /// The scan.
    pub result: &'a ScanResult,
    /// The files' packages and targets.
    pub discovered: &'a Discovered,
    /// How many findings a baseline left out.
    pub baselined: usize,
    /// End human output with the summary table however few findings there are.
    pub summary: bool,
}

impl Report<'_> {
    fn display(&self, file: usize) -> &str {
        &self.result.files[file].display
    }

    fn text(&self, file: usize) -> &str {
        self.result.files[file].text.as_deref().unwrap_or("")
    }

    /// Byte offset of a position in a file (clamped to the text).
    pub fn byte_offset(&self, file: usize, p: Pos) -> usize {
        byte_offset(self.text(file), p)
    }

    /// The chain note lines with locations, and the engine's notes.
    fn notes(&self, d: &Diag) -> Vec<String> {
        d.notes.clone()
    }
}

/// Byte offset of a 1-based line and character column in `text`.
pub fn byte_offset(text: &str, p: Pos) -> usize {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == p.line {
            let col = line
                .char_indices()
                .nth(p.column.saturating_sub(1))
                .map_or(line.trim_end_matches(['\n', '\r']).len(), |(b, _)| b);
            return offset + col;
        }
        offset += line.len();
    }
    text.len()
}

/// Problems, one per line on stderr: `path:line:col: cannot parse: ..`.
pub fn print_problems(report: &Report<'_>, problems: &[Problem]) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for p in problems {
        let _ = match p.pos {
            Some(pos) => writeln!(
                err,
                "{}:{}:{}: {}",
                report.display(p.file),
                pos.line,
                pos.column,
                p.message
            ),
            None => writeln!(err, "{}: {}", report.display(p.file), p.message),
        };
    }
}

/// The `PG004` warnings (files not analysed), one per line on stderr, for
/// `--write-baseline`, which prints no report but must not hide them.
pub fn print_unanalysed(report: &Report<'_>) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &report.result.diags {
        if d.kind == crate::diag::Kind::UNPARSED_FILE {
            let _ = writeln!(
                err,
                "{}:{}:{}: warning[{}]: {}",
                report.display(d.file),
                d.start.line,
                d.start.column,
                d.kind.code(),
                d.message
            );
        }
    }
}

fn codespan_config() -> term::Config {
    term::Config {
        chars: Chars::ascii(),
        ..term::Config::default()
    }
}

/// The note saying where a finding runs, when that is not a worker thread.
pub fn context_note(d: &Diag) -> Option<&'static str> {
    Some(match d.extra.context {
        Context::Async => return None,
        Context::Main if d.extra.current_thread => {
            "this runs in async `main` on a current-thread runtime, where it stalls every task; `contexts.main` in [workspace.metadata.pollguard] sets a level for `main`"
        }
        Context::Main => {
            "this runs in the body of async `main`, on the thread that called `block_on`, not on a worker: it stalls `main` and what it awaits, not the spawned tasks; `contexts.main` in [workspace.metadata.pollguard] sets a level for `main`"
        }
        Context::Test => {
            "this runs in test code: on the current-thread runtime of `#[tokio::test]` it stalls every task of the test; `contexts.test` in [workspace.metadata.pollguard] sets a level for tests"
        }
        Context::Example => {
            "this runs in an example; `contexts.example` in [workspace.metadata.pollguard] sets a level for examples"
        }
        Context::Bench => {
            "this runs in a benchmark, whose timings include the blocking; `contexts.bench` in [workspace.metadata.pollguard] sets a level for benchmarks"
        }
    })
}

fn to_codespan(
    report: &Report<'_>,
    d: &Diag,
    others: &[&Diag],
    file_id: usize,
) -> Diagnostic<usize> {
    let severity = if d.severity() == "error" {
        Severity::Error
    } else {
        Severity::Warning
    };
    let start = report.byte_offset(d.file, d.start);
    let end = report.byte_offset(d.file, d.end).max(start);
    let mut notes = Vec::new();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    if let Some(f) = &d.extra.fix {
        notes.push(format!(
            "help: `cargo pollguard --fix` replaces it with `{}`",
            f.replacement
        ));
    }
    for n in report.notes(d) {
        notes.push(format!("note: {n}"));
    }
    if let Some(c) = context_note(d) {
        notes.push(format!("note: {c}"));
    }
    let mut message = d.message.clone();
    if !others.is_empty() {
        message.push_str(&format!(", from {} places", others.len() + 1));
        let mut sites = String::from("note: the same helper is called at");
        for o in std::iter::once(&d).chain(others) {
            sites.push_str(&format!(
                "\n{}:{}:{}",
                report.display(o.file),
                o.start.line,
                o.start.column
            ));
            if !o.extra.item.is_empty() {
                sites.push_str(&format!(" in `{}`", o.extra.item));
            }
            if o.extra.context != Context::Async {
                sites.push_str(&format!(" ({})", o.extra.context.name()));
            }
        }
        notes.push(sites);
    }
    Diagnostic::new(severity)
        .with_code(d.kind.code())
        .with_message(&message)
        .with_labels(vec![Label::primary(file_id, start..end)])
        .with_notes(notes)
}

/// Renders diagnostics rustc-style into `out`, each with the other call
/// sites of its group.
fn render(
    report: &Report<'_>,
    diags: &[(&Diag, Vec<&Diag>)],
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids = std::collections::HashMap::new();
    let config = codespan_config();
    for (d, others) in diags {
        let id = *ids
            .entry(d.file)
            .or_insert_with(|| files.add(report.display(d.file).to_owned(), report.text(d.file)));
        let diag = to_codespan(report, d, others, id);
        term::emit(out, &config, &files, &diag).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Renders one diagnostic as a string, with or without ANSI colours.
pub fn rendered(report: &Report<'_>, d: &Diag, ansi: bool) -> String {
    let mut buf = if ansi {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let _ = render(report, &[(d, Vec::new())], &mut buf);
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// `--format human`: rustc-style diagnostics on stdout, a summary on stderr.
pub fn human(report: &Report<'_>, color: ColorChoice) -> std::io::Result<()> {
    let mut out = StandardStream::stdout(color);
    let diags: Vec<&Diag> = report.result.diags.iter().collect();
    if let Some(headline) = crate::summary::headline(report.discovered, report.result) {
        write!(out, "{headline}")?;
    }
    let mut groups = crate::summary::grouped(&report.result.diags);
    crate::summary::by_context(&mut groups);
    render(report, &groups, &mut out)?;
    if report.summary || diags.len() > crate::summary::SCREENFUL {
        write!(
            out,
            "{}",
            crate::summary::table(report.discovered, report.result, report.baselined)
        )?;
    }
    out.flush()?;
    let errors = diags.iter().filter(|d| d.severity() == "error").count();
    let warnings = diags.len() - errors;
    let mut with: Vec<usize> = diags.iter().map(|d| d.file).collect();
    with.dedup();
    let scanned = report.discovered.files.len();
    let baselined = if report.baselined > 0 {
        format!(", {} baselined", report.baselined)
    } else {
        String::new()
    };
    let unanalysed = diags
        .iter()
        .filter(|d| d.kind == crate::diag::Kind::UNPARSED_FILE)
        .count();
    let unanalysed = if unanalysed > 0 {
        format!(", {unanalysed} not analysed")
    } else {
        String::new()
    };
    eprintln!(
        "pollguard: {} {}, {} {} in {} {} ({} {} scanned{unanalysed}{baselined})",
        errors,
        plural(errors, "error", "errors"),
        warnings,
        plural(warnings, "warning", "warnings"),
        with.len(),
        plural(with.len(), "file", "files"),
        scanned,
        plural(scanned, "file", "files"),
    );
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// One JSON object of `--format json`; the field names are a contract.
pub fn json_value(report: &Report<'_>, d: &Diag) -> Value {
    json!({
        "file": report.display(d.file),
        "line": d.start.line,
        "column": d.start.column,
        "end_line": d.end.line,
        "end_column": d.end.column,
        "rule": d.kind.code(),
        "name": d.kind.name(),
        "category": d.kind.category(),
        "severity": d.severity(),
        "confidence": d.confidence.name(),
        "call": d.call,
        "message": d.message,
        "help": d.help,
        "notes": report.notes(d),
        "chain": d.chain.iter().map(|s| {
            let mut step = json!({
                "caller": s.caller,
                "callee": s.callee,
                "file": report.display(s.file),
                "line": s.pos.line,
                "column": s.pos.column,
            });
            // The blocking call at the end of the chain says what it is.
            if let Some(rule) = s.rule {
                step["rule"] = json!(rule.code);
                step["category"] = json!(rule.category.name());
            }
            step
        }).collect::<Vec<_>>(),
        "context": d.extra.context.name(),
        "item": d.extra.item,
        "fingerprint": d.extra.fingerprint,
        "group": d.extra.group,
        "fix": d.extra.fix.as_ref().map(|f| json!({
            "line": f.start.line,
            "column": f.start.column,
            "end_line": f.end.line,
            "end_column": f.end.column,
            "replacement": f.replacement,
        })),
    })
}

/// `--format json`: JSON Lines, one finding per line.
pub fn json(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.result.diags {
        writeln!(out, "{}", json_value(report, d))?;
    }
    Ok(())
}

/// Escapes the message of a workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `--format github`: GitHub Actions workflow-command annotations.
pub fn github(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.result.diags {
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        for n in report.notes(d) {
            message.push_str(&format!("\nnote: {n}"));
        }
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            d.severity(),
            gh_prop(report.display(d.file)),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            gh_prop(&format!("{} {}", d.kind.code(), d.kind.name())),
            gh_data(&message)
        )?;
    }
    Ok(())
}

/// `--message-format json`: cargo's `compiler-message` lines with a
/// rustc-shaped diagnostic, then `build-finished`, so rust-analyzer can run
/// `cargo pollguard --message-format json` as its check command.
pub fn cargo_json(report: &Report<'_>, ansi: bool, out: &mut dyn Write) -> std::io::Result<()> {
    for d in &report.result.diags {
        // The baseline file (stale entries) is not a source file: its
        // messages go under the workspace's first package.
        let file = report.discovered.files.get(d.file);
        let package = &report.discovered.packages[file.map_or(0, |f| f.package)];
        let target = file.and_then(|f| package.targets.get(f.target));
        let text = report.text(d.file);
        let byte_start = byte_offset(text, d.start);
        let byte_end = byte_offset(text, d.end).max(byte_start);
        let lines: Vec<Value> = text
            .lines()
            .enumerate()
            .skip(d.start.line.saturating_sub(1))
            .take(d.end.line.saturating_sub(d.start.line) + 1)
            .map(|(i, l)| {
                let n = l.chars().count() + 1;
                let hs = if i + 1 == d.start.line {
                    d.start.column
                } else {
                    1
                };
                let he = if i + 1 == d.end.line { d.end.column } else { n };
                json!({"text": l, "highlight_start": hs, "highlight_end": he})
            })
            .collect();
        let mut children: Vec<Value> = Vec::new();
        if let Some(h) = &d.help {
            children.push(child("help", h));
        }
        if let Some(f) = &d.extra.fix {
            children.push(suggestion(report, d, f));
        }
        for n in report.notes(d) {
            children.push(child("note", &n));
        }
        if let Some(c) = context_note(d) {
            children.push(child("note", c));
        }
        let message = json!({
            "$message_type": "diagnostic",
            "message": d.message,
            "code": {"code": d.kind.code(), "explanation": d.kind.explain()},
            "level": d.severity(),
            "spans": [{
                "file_name": report.display(d.file),
                "byte_start": byte_start,
                "byte_end": byte_end,
                "line_start": d.start.line,
                "line_end": d.end.line,
                "column_start": d.start.column,
                "column_end": d.end.column,
                "is_primary": true,
                "text": lines,
                "label": null,
                "suggested_replacement": null,
                "suggestion_applicability": null,
                "expansion": null,
            }],
            "children": children,
            "rendered": rendered(report, d, ansi),
        });
        let target = json!({
            "kind": [target.map_or("lib", |t| t.kind.as_str())],
            "crate_types": [crate_type(target.map_or("lib", |t| t.kind.as_str()))],
            "name": target.map_or(package.name.as_str(), |t| t.name.as_str()),
            "src_path": target.map_or_else(
                || file.map_or_else(|| report.discovered.base.clone(), |f| f.path.clone()),
                |t| t.src_path.clone()
            ),
            "edition": target.map_or("2021", |t| t.edition.as_str()),
            "doc": true,
            "doctest": false,
            "test": true,
        });
        let line = json!({
            "reason": "compiler-message",
            "package_id": package.id,
            "manifest_path": package.manifest.clone().unwrap_or_else(|| package.root.join("Cargo.toml")),
            "target": target,
            "message": message,
        });
        writeln!(out, "{line}")?;
    }
    let success = !report.result.diags.iter().any(|d| d.severity() == "error");
    writeln!(
        out,
        "{}",
        json!({"reason": "build-finished", "success": success})
    )
}

fn crate_type(kind: &str) -> &str {
    match kind {
        "lib" => "lib",
        "proc-macro" => "proc-macro",
        _ => "bin",
    }
}

/// A rustc-style `help` child carrying a machine-applicable suggestion,
/// which rust-analyzer offers as a quick fix and `cargo fix`-like tools apply.
fn suggestion(report: &Report<'_>, d: &Diag, f: &crate::diag::Fix) -> Value {
    let text = report.text(d.file);
    let byte_start = byte_offset(text, f.start);
    let byte_end = byte_offset(text, f.end).max(byte_start);
    let lines: Vec<Value> = text
        .lines()
        .enumerate()
        .skip(f.start.line.saturating_sub(1))
        .take(f.end.line.saturating_sub(f.start.line) + 1)
        .map(|(i, l)| {
            let hs = if i + 1 == f.start.line {
                f.start.column
            } else {
                1
            };
            let he = if i + 1 == f.end.line {
                f.end.column
            } else {
                l.chars().count() + 1
            };
            json!({"text": l, "highlight_start": hs, "highlight_end": he})
        })
        .collect();
    json!({
        "$message_type": "diagnostic",
        "message": "use the async version and `.await` it",
        "code": null,
        "level": "help",
        "spans": [{
            "file_name": report.display(d.file),
            "byte_start": byte_start,
            "byte_end": byte_end,
            "line_start": f.start.line,
            "line_end": f.end.line,
            "column_start": f.start.column,
            "column_end": f.end.column,
            "is_primary": true,
            "text": lines,
            "label": null,
            "suggested_replacement": f.replacement,
            "suggestion_applicability": "MachineApplicable",
            "expansion": null,
        }],
        "children": [],
        "rendered": null,
    })
}

fn child(level: &str, message: &str) -> Value {
    json!({
        "$message_type": "diagnostic",
        "message": message,
        "code": null,
        "level": level,
        "spans": [],
        "children": [],
        "rendered": null,
    })
}
