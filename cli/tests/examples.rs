//! The bundled examples: the forum program has three findings, its fixed twin none.

use assert_cmd::Command;
use std::path::Path;

fn examples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples"))
}

#[test]
fn forum_has_three_findings_and_exits_1() {
    let out = Command::cargo_bin("cargo-pollguard")
        .unwrap()
        .current_dir(examples().join("forum"))
        .args(["pollguard", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let at: Vec<(u64, &str)> = lines
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(at, [(16, "PG101"), (19, "PG101"), (24, "PG101")]);
}

#[test]
fn clean_exits_0() {
    Command::cargo_bin("cargo-pollguard")
        .unwrap()
        .current_dir(examples().join("clean"))
        .assert()
        .success()
        .stdout("");
}
