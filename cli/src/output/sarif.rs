//! `--format sarif`: one SARIF 2.1.0 log for GitHub code scanning, with every
//! rule and its help in `tool.driver.rules`.

use super::Report;
use crate::diag::{Diag, Kind};
use pollguard_analysis::Level;
use serde_json::{Value, json};

/// The SARIF log as a JSON value.
pub fn log(report: &Report<'_>) -> Value {
    let kinds = Kind::all();
    let rules: Vec<Value> = kinds.iter().map(|k| rule(*k)).collect();
    let results: Vec<Value> = report
        .result
        .diags
        .iter()
        .map(|d| result(report, d, &kinds))
        .collect();
    let notifications: Vec<Value> = report
        .result
        .problems
        .iter()
        .map(|p| {
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&report.result.files[p.file].display)}
                }
            });
            if let Some(pos) = p.pos {
                location["physicalLocation"]["region"] =
                    json!({"startLine": pos.line, "startColumn": pos.column});
            }
            json!({
                "level": if p.fatal { "error" } else { "warning" },
                "message": {"text": p.message},
                "locations": [location],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pollguard",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://example.invalid/pollguard",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": !report.result.problems.iter().any(|p| p.fatal),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    })
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

fn rule(k: Kind) -> Value {
    json!({
        "id": k.code(),
        "name": k.name(),
        "shortDescription": {"text": k.short_description()},
        "fullDescription": {"text": k.short_description()},
        "help": {"text": k.help(), "markdown": k.explain()},
        "defaultConfiguration": {
            "enabled": k.default_level() != Level::Allow,
            "level": level(k.default_level()),
        },
        "properties": {"category": k.category(), "tags": ["async", k.category()]},
    })
}

fn result(report: &Report<'_>, d: &Diag, kinds: &[Kind]) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str(&format!("\nhelp: {h}"));
    }
    for n in &d.notes {
        text.push_str(&format!("\nnote: {n}"));
    }
    if let Some(c) = super::context_note(d) {
        text.push_str(&format!("\nnote: {c}"));
    }
    let related: Vec<Value> = d
        .chain
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "id": i,
                "message": {"text": format!("`{}` calls `{}`", s.caller, s.callee)},
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&report.result.files[s.file].display)},
                    "region": {"startLine": s.pos.line, "startColumn": s.pos.column},
                }
            })
        })
        .collect();
    let mut r = json!({
        "ruleId": d.kind.code(),
        "ruleIndex": kinds.iter().position(|k| *k == d.kind).unwrap_or(0),
        "level": level(d.level),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&report.result.files[d.file].display)},
                "region": {
                    "startLine": d.start.line,
                    "startColumn": d.start.column,
                    "endLine": d.end.line,
                    "endColumn": d.end.column,
                }
            }
        }],
        "partialFingerprints": {"pollguard/v1": d.extra.fingerprint},
        "properties": {
            "confidence": d.confidence.name(),
            "category": d.kind.category(),
            "context": d.extra.context.name(),
        },
    });
    if let Some(g) = &d.extra.group {
        r["properties"]["group"] = json!(g);
    }

    if let Some(c) = &d.call {
        r["properties"]["call"] = json!(c);
    }
    if !related.is_empty() {
        r["relatedLocations"] = json!(related);
    }
    r
}

/// A relative path as a URI reference: `/`-separated, percent-encoded; an
/// absolute path as a `file://` URI.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
