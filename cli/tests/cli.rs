//! The command line end to end: every format, exit code, configuration
//! error, suppression, transitive chain, a workspace and a directory of
//! mixed files. Fixtures live in `tests/fixtures/`: never built, only parsed.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cargo-pollguard` in `dir` (relative to the fixtures) with `args`;
/// absolute fixture paths in the output become `[FIXTURES]`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("cargo-pollguard")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    let clean = |b: Vec<u8>| {
        String::from_utf8(b)
            .unwrap()
            .replace(&fixtures().display().to_string(), "[FIXTURES]")
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: clean(out.stdout),
        stderr: clean(out.stderr),
    }
}

fn run(fixture: &str, args: &[&str]) -> Run {
    run_in(&fixtures().join(fixture), args)
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn forum() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/forum")
}

#[test]
fn human_format() {
    let r = run_in(&forum(), &["pollguard", "--color", "never"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    assert_eq!(
        r.stderr,
        "pollguard: 3 errors, 0 warnings in 1 file (1 file scanned)\n"
    );
}

#[test]
fn human_format_colour_is_opt_in() {
    let plain = run_in(&forum(), &[]);
    assert!(!plain.stdout.contains('\x1b'));
    let coloured = run_in(&forum(), &["--color", "always"]);
    assert!(coloured.stdout.contains('\x1b'));
}

#[test]
fn json_format_is_the_contract() {
    let r = run_in(&forum(), &["--format", "json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    for line in json_lines(&r.stdout) {
        for key in [
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "rule",
            "name",
            "category",
            "severity",
            "confidence",
            "call",
            "message",
            "help",
        ] {
            assert!(line.get(key).is_some(), "missing `{key}` in {line}");
        }
    }
}

#[test]
fn github_format() {
    let r = run_in(&forum(), &["--format", "github"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn cargo_message_format_parses_as_cargo_messages() {
    let r = run_in(&forum(), &["pollguard", "--message-format", "json"]);
    assert_eq!(r.code, 1);
    let mut diagnostics = 0;
    let mut finished = false;
    for line in r.stdout.lines() {
        let msg: cargo_metadata::Message = serde_json::from_str(line).unwrap();
        match msg {
            cargo_metadata::Message::CompilerMessage(m) => {
                diagnostics += 1;
                let d = &m.message;
                assert_eq!(d.code.as_ref().unwrap().code, "PG101");
                assert_eq!(d.spans[0].file_name, "src/main.rs");
                assert!(d.rendered.as_deref().unwrap().contains("error[PG101]"));
                assert_eq!(d.children[0].message.split(' ').next(), Some("use"));
                assert_eq!(m.target.name, "forum");
            }
            cargo_metadata::Message::BuildFinished(b) => {
                finished = true;
                assert!(!b.success);
            }
            other => panic!("unexpected message {other:?}"),
        }
    }
    assert_eq!((diagnostics, finished), (3, true));
    let first: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    let span = &first["message"]["spans"][0];
    insta::assert_snapshot!(serde_json::to_string_pretty(span).unwrap());
}

#[test]
fn sarif_format_validates_against_the_schema() {
    let r = run_in(&forum(), &["--format", "sarif"]);
    assert_eq!(r.code, 1);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject a log that breaks the schema.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    // The typed model of serde-sarif reads it too.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(typed.runs[0].results.as_ref().unwrap().len(), 3);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert!(rules.as_array().unwrap().iter().any(|r| {
        r["id"] == "PG101"
            && r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Use instead")
    }));
    let mut results = log["runs"][0]["results"].clone();
    insta::assert_snapshot!(serde_json::to_string_pretty(&results.take()).unwrap());
}

/// The SARIF 2.1.0 schema as the `serde-sarif` crate (a dev-dependency)
/// ships it: found through `cargo metadata`, so the registry provides it.
fn sarif_schema() -> serde_json::Value {
    let md = cargo_metadata::MetadataCommand::new()
        .manifest_path(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .exec()
        .unwrap();
    let pkg = md
        .packages
        .iter()
        .find(|p| p.name.as_str() == "serde-sarif")
        .expect("serde-sarif is a dev-dependency");
    let path = pkg.manifest_path.parent().unwrap().join("src/schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    schema
}

#[test]
fn sarif_of_a_transitive_chain_validates() {
    let r = run(
        "transitive",
        &["--format", "sarif", "--report-unused-allows"],
    );
    assert_eq!(r.code, 1);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let first = &log["runs"][0]["results"][0];
    assert_eq!(
        first["relatedLocations"][1]["physicalLocation"]["artifactLocation"]["uri"],
        "src/util.rs"
    );
}

#[test]
fn clean_example_exits_0() {
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/clean");
    let r = run_in(&clean, &["--format", "json"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn levels_from_flags() {
    let allow = run_in(&forum(), &["--allow", "sleep", "--format", "json"]);
    assert_eq!((allow.code, allow.stdout.as_str()), (0, ""));
    let warn = run_in(&forum(), &["-W", "thread-sleep", "--format", "json"]);
    assert_eq!(warn.code, 0);
    assert!(
        json_lines(&warn.stdout)
            .iter()
            .all(|l| l["severity"] == "warning")
    );
    // Later flags win, as with rustc.
    let last = run_in(
        &forum(),
        &["-A", "sleep", "-D", "PG101", "--format", "json"],
    );
    assert_eq!((last.code, json_lines(&last.stdout).len()), (1, 3));
}

#[test]
fn transitive_chains_across_files() {
    let r = run("transitive", &["--format", "json"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    // The chain goes through `config.rs`, which has neither `async` nor a
    // blocking name.
    let first = &json_lines(&r.stdout)[0];
    assert_eq!(
        first["notes"][0],
        "`load_config` → `slurp` → `std::fs::read_to_string` at src/util.rs:2"
    );
}

#[test]
fn suppressions_and_unused_allows() {
    let r = run(
        "transitive",
        &["--report-unused-allows", "--color", "never"],
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
    let quiet = run("transitive", &["--format", "json"]);
    let codes: Vec<String> = json_lines(&quiet.stdout)
        .iter()
        .map(|l| format!("{}:{}", l["line"], l["rule"].as_str().unwrap()))
        .collect();
    // Line 6 (trailing comment) and `warm_up` (attribute) are suppressed;
    // line 8's comment names the wrong category; line 9's has no reason.
    assert_eq!(
        codes,
        ["7:PG902", "5:PG902", "8:PG902", "9:PG001", "10:PG902"]
    );
}

#[test]
fn workspace_with_several_members() {
    let r = run("workspace", &["--format", "json"]);
    assert_eq!(r.code, 1);
    // A method of a type of the other member is followed into it.
    assert!(
        json_lines(&r.stdout)
            .iter()
            .any(|f| f["call"] == "shared::db::Db::fetch" && f["rule"] == "PG902"),
        "{}",
        r.stdout
    );
    // A helper called in a closure handed to the other member's offloader
    // is not a finding.
    assert!(
        json_lines(&r.stdout)
            .iter()
            .all(|f| f["item"] != "offloaded"),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!(r.stdout);
    // From inside a member, the whole workspace, with the same paths.
    let inner = run("workspace/app", &["--format", "json"]);
    assert_eq!(inner.stdout, r.stdout);
    let manifest = fixtures().join("workspace/Cargo.toml");
    let elsewhere = run_in(
        &fixtures(),
        &[
            "--format",
            "json",
            "--manifest-path",
            manifest.to_str().unwrap(),
        ],
    );
    assert_eq!(elsewhere.stdout, r.stdout);
    let no_tests = run("workspace", &["--format", "json", "--no-tests"]);
    assert!(!no_tests.stdout.contains("shared/tests"));
    let certain = run(
        "workspace",
        &["--format", "json", "--min-confidence", "certain"],
    );
    assert_eq!(
        json_lines(&certain.stdout).len(),
        json_lines(&r.stdout).len()
    );
}

#[test]
fn config_errors_exit_2_and_name_the_key() {
    let typo = run("config-typo", &[]);
    assert_eq!(typo.code, 2);
    assert_eq!(
        typo.stderr,
        "error: unknown key `dney` in [workspace.metadata.pollguard] of [FIXTURES]/config-typo/Cargo.toml: did you mean `deny`?\n"
    );
    let rule = run("config-bad-rule", &[]);
    assert_eq!(rule.code, 2);
    assert_eq!(
        rule.stderr,
        "error: unknown category or rule `sleeep` in `deny` of [package.metadata.pollguard] of [FIXTURES]/config-bad-rule/Cargo.toml: did you mean `sleep`?\n"
    );
    let level = run("config-bad-level", &[]);
    assert_eq!(level.code, 2);
    assert_eq!(
        level.stderr,
        "error: `min-confidence` in [package.metadata.pollguard] of [FIXTURES]/config-bad-level/Cargo.toml must be \"certain\" or \"likely\", not \"sure\"\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let flag = run_in(&forum(), &["--deny", "sleeep"]);
    assert_eq!(flag.code, 2);
    assert_eq!(
        flag.stderr,
        "error: unknown category or rule `sleeep` in `--deny` of the command line: did you mean `sleep`?\n"
    );
    assert_eq!(run_in(&forum(), &["--format", "xml"]).code, 2);
    assert_eq!(run_in(&forum(), &["--min-confidence", "sure"]).code, 2);
    assert_eq!(run_in(&forum(), &["no/such/dir"]).code, 2);
    assert_eq!(run_in(&forum(), &["--explain", "PG999"]).code, 2);
    let not_cargo = std::env::temp_dir();
    let outside = Command::cargo_bin("cargo-pollguard")
        .unwrap()
        .current_dir(&not_cargo)
        .output()
        .unwrap();
    assert_eq!(outside.status.code(), Some(2));
}

#[test]
fn explain_and_list_rules() {
    let r = run_in(&forum(), &["pollguard", "--explain", "PG101"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
    let by_name = run_in(&forum(), &["--explain", "thread-sleep"]);
    assert_eq!(by_name.stdout, r.stdout);
    let list = run_in(&forum(), &["--list-rules"]);
    assert_eq!(list.code, 0);
    assert!(
        list.stdout
            .lines()
            .any(|l| l.starts_with("PG101  thread-sleep"))
    );
    assert!(
        list.stdout
            .lines()
            .any(|l| l.starts_with("PG001  invalid-allow"))
    );
    let help = run_in(&forum(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("never compiled or executed"));
    assert!(help.stdout.contains("[workspace.metadata.pollguard]"));
    // `--summary`'s help says when the table comes without it.
    let short = run_in(&forum(), &["-h"]);
    let summary = short
        .stdout
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("--summary"))
        .take(3)
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    let threshold = format!("more than {} findings", cargo_pollguard::summary::SCREENFUL);
    assert!(summary.contains(&threshold), "{summary}");
}

/// A directory of mixed files, made at test time: files git should not
/// hold (binary, invalid UTF-8) and ignored ones.
#[test]
fn directory_of_mixed_files() {
    let dir = std::env::temp_dir().join(format!("pollguard-mixed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("mixed");
    std::fs::create_dir_all(src.join("target/debug")).unwrap();
    std::fs::create_dir_all(src.join("nested")).unwrap();
    let sleepy = "async fn f() { std::thread::sleep(d); }\n";
    std::fs::write(src.join("good.rs"), sleepy).unwrap();
    std::fs::write(src.join("nested/deeper.rs"), sleepy).unwrap();
    std::fs::write(src.join("broken.rs"), "async fn f() {\n    let x = ;\n}\n").unwrap();
    // No `async`, no blocking name: every file is parsed, so its syntax
    // error is lost coverage reported like any other.
    std::fs::write(src.join("plain.rs"), "fn f() {\n    let x = ;\n}\n").unwrap();
    std::fs::write(src.join("binary.rs"), b"async\0\x01\x02\xff").unwrap();
    std::fs::write(src.join("latin1.rs"), b"// caf\xe9\nasync fn f() {}\n").unwrap();
    std::fs::write(src.join("empty.rs"), "").unwrap();
    std::fs::write(src.join("notes.txt"), sleepy).unwrap();
    std::fs::write(src.join("ignored.rs"), sleepy).unwrap();
    std::fs::write(src.join(".gitignore"), "ignored.rs\n").unwrap();
    std::fs::write(src.join("target/debug/build.rs"), sleepy).unwrap();
    std::fs::write(src.join("target/CACHEDIR.TAG"), "").unwrap();
    let deep = format!(
        "async fn f() {{ {}1{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    std::fs::write(src.join("deep.rs"), deep).unwrap();
    let r = run_in(&dir, &["mixed", "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.code, 1);
    let lines = json_lines(&r.stdout);
    let files: Vec<String> = lines
        .iter()
        .map(|l| {
            format!(
                "{}:{} {}",
                l["file"].as_str().unwrap(),
                l["line"],
                l["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            "mixed/binary.rs:1 PG004",
            "mixed/broken.rs:2 PG004",
            "mixed/deep.rs:1 PG004",
            "mixed/good.rs:1 PG101",
            "mixed/latin1.rs:1 PG004",
            "mixed/nested/deeper.rs:1 PG101",
            "mixed/plain.rs:2 PG004"
        ]
    );
    assert_eq!(r.stderr, "");
    // The files not analysed are warnings that say why.
    let skipped: Vec<String> = lines
        .iter()
        .filter(|l| l["rule"] == "PG004")
        .map(|l| {
            format!(
                "{}:{}:{}: {} {}",
                l["file"].as_str().unwrap(),
                l["line"],
                l["column"],
                l["severity"].as_str().unwrap(),
                l["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(skipped.join("\n"));
}

/// A file that does not parse is lost coverage: a `PG004` warning in every
/// format, counted in the human summary line, never baselined, and the
/// exit status is that of the other findings (0 here).
#[test]
fn unparsed_files_are_warnings_in_every_format() {
    let dir = std::env::temp_dir().join(format!("pollguard-unparsed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ok.rs"), "async fn f() {}\n").unwrap();
    std::fs::write(dir.join("broken.rs"), "async fn f() {\n    let x = ;\n}\n").unwrap();
    let human = run_in(&dir, &["."]);
    assert_eq!(human.code, 0);
    insta::assert_snapshot!(human.stdout);
    assert_eq!(
        human.stderr,
        "pollguard: 0 errors, 1 warning in 1 file (2 files scanned, 1 not analysed)\n"
    );
    let github = run_in(&dir, &[".", "--format", "github"]);
    assert_eq!(github.code, 0);
    assert!(
        github.stdout.starts_with(
            "::warning file=broken.rs,line=2,col=13,endLine=2,endColumn=14,title=PG004 unparsed-file::file not analysed: cannot parse: expected an expression"
        ),
        "{}",
        github.stdout
    );
    let sarif = run_in(&dir, &[".", "--format", "sarif"]);
    assert_eq!(sarif.code, 0);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "PG004");
    assert_eq!(results[0]["level"], "warning");
    assert!(jsonschema::is_valid(&sarif_schema(), &log));
    let cargo = run_in(&dir, &[".", "--message-format", "json"]);
    let first: serde_json::Value =
        serde_json::from_str(cargo.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["message"]["code"]["code"], "PG004");
    assert_eq!(first["message"]["level"], "warning");
    // `--write-baseline` shows it and does not record it.
    let w = run_in(&dir, &[".", "--write-baseline", "b.json"]);
    assert_eq!(w.code, 0);
    assert!(
        w.stderr.starts_with(
            "broken.rs:2:13: warning[PG004]: file not analysed: cannot parse: expected an expression\n\
             pollguard: wrote 0 findings to b.json\n"
        ),
        "{}",
        w.stderr
    );
    let b = run_in(&dir, &[".", "--baseline", "b.json", "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(json_lines(&b.stdout)[0]["rule"], "PG004");
}

#[test]
fn a_single_file_outside_any_project() {
    let dir = std::env::temp_dir().join(format!("pollguard-single-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("script.rs"),
        "fn helper() { std::fs::remove_file(\"x\").unwrap(); }\nasync fn f() { helper(); }\n",
    )
    .unwrap();
    let r = run_in(&dir, &["script.rs", "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(r.code, 1);
    let lines = json_lines(&r.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["rule"], "PG902");
    assert_eq!(lines[0]["file"], "script.rs");
}

#[cfg(unix)]
#[test]
fn unreadable_files_exit_2_after_scanning_the_rest() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("pollguard-unreadable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.rs"),
        "async fn f() { std::thread::sleep(d); }\n",
    )
    .unwrap();
    let locked = dir.join("b.rs");
    std::fs::write(&locked, "fn main() {}\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: then there is nothing to test.
    let readable = std::fs::read(&locked).is_ok();
    let r = run_in(&dir, &[".", "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    if readable {
        eprintln!("note: running as root, every file is readable; skipped");
        return;
    }
    assert_eq!(r.code, 2);
    assert_eq!(json_lines(&r.stdout).len(), 1);
    assert!(r.stderr.contains("b.rs: cannot read"));
}

#[test]
fn offloader_wrappers_in_other_files_make_closures_sync() {
    // `asyncify` is defined in `fs/mod.rs`, used in `fs/read.rs`: only the
    // call outside its closure is a finding.
    {
        let r = run("offloader", &["--format", "json"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let lines: Vec<(String, u64)> = json_lines(&r.stdout)
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(lines, [("src/fs/read.rs".to_owned(), 9)]);
    }
}

#[test]
fn no_tests_also_skips_unit_tests_in_src() {
    let dir = std::env::temp_dir().join(format!("pollguard-no-tests-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "async fn real() { std::thread::sleep(d); }\n\
         #[cfg(test)]\nmod tests {\n    #[tokio::test]\n    async fn t() { std::thread::sleep(d); }\n}\n",
    )
    .unwrap();
    let all = run_in(&dir, &["--format", "json", "lib.rs"]);
    assert_eq!(json_lines(&all.stdout).len(), 2, "{}", all.stderr);
    let some = run_in(&dir, &["--format", "json", "--no-tests", "lib.rs"]);
    let lines: Vec<u64> = json_lines(&some.stdout)
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A module file declared `#[cfg(test)] mod testing;` by its parent (and
/// the modules below it), or that says `#![cfg(test)]` itself, is test
/// code: its findings say so, and `--no-tests` leaves them out.
#[test]
fn a_module_declared_for_tests_is_test_code() {
    let dir = temp_project(
        "test-modules",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"tm\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            (
                "src/lib.rs",
                "#[cfg(test)]\nmod testing;\nmod inner;\npub async fn real() { std::thread::sleep(d); }\n",
            ),
            (
                "src/testing.rs",
                "mod deeper;\npub async fn t() { std::thread::sleep(d); }\n",
            ),
            ("src/testing/deeper.rs", SLEEPY),
            (
                "src/inner.rs",
                "#![cfg(test)]\npub async fn i() { std::thread::sleep(d); }\n",
            ),
        ],
    );
    let contexts = |args: &[&str]| -> Vec<(String, String)> {
        let r = run_in(&dir, args);
        let mut got: Vec<(String, String)> = json_lines(&r.stdout)
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_owned(),
                    f["context"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        got.sort();
        got
    };
    let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
    assert_eq!(
        contexts(&["--format", "json", "--no-deps"]),
        [
            pair("src/inner.rs", "test"),
            pair("src/lib.rs", "async"),
            pair("src/testing.rs", "test"),
            pair("src/testing/deeper.rs", "test"),
        ]
    );
    assert_eq!(
        contexts(&["--format", "json", "--no-deps", "--no-tests"]),
        [pair("src/lib.rs", "async")]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The documented examples of the CLI's own escape-hatch rules, run as the
/// engine's rules' examples are (analysis/tests/rule_docs.rs): the example
/// is reported under its rule, the replacement is not. `PG003`'s example is
/// a baseline entry and its replacement a command; `adopt.rs` runs those.
#[test]
fn escape_hatch_rules_examples_are_reported_and_replacements_are_not() {
    let dir = std::env::temp_dir().join(format!("pollguard-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let codes = |src: &str| -> Vec<String> {
        std::fs::write(dir.join("example.rs"), src).unwrap();
        let r = run_in(
            &dir,
            &["example.rs", "--format", "json", "--report-unused-allows"],
        );
        json_lines(&r.stdout)
            .iter()
            .map(|l| l["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    for rule in [
        &pollguard_analysis::catalog::INVALID_ALLOW,
        &pollguard_analysis::catalog::UNUSED_ALLOW,
        &pollguard_analysis::catalog::UNPARSED_FILE,
    ] {
        let found = codes(rule.doc.example);
        assert!(
            found.iter().any(|c| c == rule.code),
            "{}: {found:?}",
            rule.code
        );
        let found = codes(rule.doc.instead);
        assert!(
            !found.iter().any(|c| c == rule.code),
            "{}: {found:?}",
            rule.code
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `cargo-pollguard` in `dir` as a user runs it directly: not under
/// `cargo`, so no `CARGO` and no `RUSTUP_TOOLCHAIN` (which `cargo test` sets).
fn run_direct(dir: &Path, args: &[&str], toolchain: Option<&str>) -> Run {
    let mut cmd = Command::cargo_bin("cargo-pollguard").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .env("RUSTUP_AUTO_INSTALL", "0")
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .args(args);
    if let Some(t) = toolchain {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn temp_project(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pollguard-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const SLEEPY: &str = "async fn f() { std::thread::sleep(d); }\n";

/// A `rust-toolchain.toml` pinning a toolchain that is not installed: the
/// workspace is read with rustup's default toolchain instead, with a note.
/// Without rustup the pin means nothing and the scan just works; with a
/// rustup that has no default (or auto-installs and fails), the error says
/// what to do, on several lines, without rustup's backtrace.
#[test]
fn a_pinned_toolchain_that_is_not_installed_is_not_needed() {
    let dir = temp_project(
        "pinned",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"pinned\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("rust-toolchain.toml", "[toolchain]\nchannel = \"1.2.3\"\n"),
            ("src/lib.rs", SLEEPY),
        ],
    );
    let has_rustup = std::process::Command::new("rustup")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let r = run_direct(&dir, &["--format", "json"], None);
    let pinned_env = run_direct(&dir, &["--format", "json"], Some("1.2.3"));
    // Resolving the dependency graph and asking rustc for the host's cfgs
    // use the same fallback.
    let with_deps = run_direct(&dir, &["--format", "json", "--deps", "--offline"], None);
    let _ = std::fs::remove_dir_all(&dir);
    match r.code {
        1 => {
            let lines = json_lines(&r.stdout);
            assert_eq!(lines.len(), 1, "{}", r.stdout);
            assert_eq!(lines[0]["rule"], "PG101");
            if has_rustup {
                assert!(
                    r.stderr
                        .starts_with("pollguard: note: the toolchain `1.2.3")
                        && r.stderr
                            .contains("is not installed; the workspace was read with `"),
                    "{}",
                    r.stderr
                );
                assert_eq!(with_deps.code, 1, "{}", with_deps.stderr);
                assert!(
                    !with_deps.stderr.contains("warning"),
                    "the dependencies are read with the same toolchain: {}",
                    with_deps.stderr
                );
            }
        }
        _ => {
            assert!(has_rustup);
            assert_eq!(r.code, 2, "{}", r.stderr);
            assert!(
                r.stderr
                    .starts_with("error: cannot read the Cargo workspace")
            );
            assert!(!r.stderr.contains("Stack backtrace"), "{}", r.stderr);
        }
    }
    if has_rustup {
        // A toolchain chosen by the user is not second-guessed.
        assert_eq!(pinned_env.code, 2, "{}", pinned_env.stderr);
        assert!(
            pinned_env
                .stderr
                .starts_with("error: cannot read the Cargo workspace: "),
            "{}",
            pinned_env.stderr
        );
        assert!(!pinned_env.stderr.contains("Stack backtrace"));
        if pinned_env.stderr.contains("is not installed") {
            assert!(
                pinned_env
                    .stderr
                    .contains("\n  help: pollguard never compiles, so any installed toolchain will do: `RUSTUP_TOOLCHAIN=stable cargo pollguard`"),
                "{}",
                pinned_env.stderr
            );
        }
    }
}

/// A workspace member whose directory is missing (an uninitialised git
/// submodule): exit 2 naming the member and both ways on, and the path
/// mode it suggests scans the rest.
#[test]
fn a_missing_workspace_member_is_named_with_the_fix() {
    let dir = temp_project(
        "submodule",
        &[
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"app\", \"libs/common\"]\nresolver = \"2\"\n",
            ),
            (
                ".gitmodules",
                "[submodule \"libs/common\"]\n\tpath = libs/common\n\turl = https://example.invalid/common.git\n",
            ),
            (
                "app/Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("app/src/lib.rs", SLEEPY),
        ],
    );
    let r = run_in(&dir, &[]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(r.stderr);
    // Not a submodule: restore it or drop it from `members`.
    std::fs::remove_file(dir.join(".gitmodules")).unwrap();
    let plain = run_in(&dir, &[]);
    assert_eq!(plain.code, 2);
    assert!(
        plain.stderr.starts_with(
            "error: cannot read the Cargo workspace: its member `libs/common` is missing (no `libs/common/Cargo.toml`)\n  help: restore it, or remove it from `members` in [workspace] of Cargo.toml;"
        ),
        "{}",
        plain.stderr
    );
    let by_path = run_in(&dir, &[".", "--format", "json"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(by_path.code, 1, "{}", by_path.stderr);
    assert_eq!(json_lines(&by_path.stdout)[0]["file"], "app/src/lib.rs");
}

/// `--std-catalog-only` (hidden, for measurements) keeps the catalog's
/// entries for the standard library and the runtimes and drops those for
/// third-party crates.
#[test]
fn std_catalog_only_drops_third_party_entries() {
    let dir = temp_project(
        "std-catalog",
        &[(
            "src/lib.rs",
            "async fn f(url: &str) {\n    let _ = reqwest::blocking::get(url);\n    std::thread::sleep(d);\n}\n",
        )],
    );
    let lines = |args: &[&str]| -> Vec<u64> {
        json_lines(&run_in(&dir, args).stdout)
            .iter()
            .map(|v| v["line"].as_u64().unwrap())
            .collect()
    };
    let all = lines(&["--format", "json", "src"]);
    let std_only = lines(&["--format", "json", "--std-catalog-only", "src"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(all, [2, 3]);
    assert_eq!(std_only, [3]);
}

/// A package too large to keep its syntax trees is parsed once for its
/// model and again, file by file, for its walk: the findings are the same
/// as when its trees are kept.
#[test]
fn a_package_too_large_to_keep_its_trees_gets_the_same_findings() {
    for fixture in ["transitive", "crate-model", "workspace", "offloader"] {
        let run = |limit: Option<&str>| {
            let mut cmd = Command::cargo_bin("cargo-pollguard").unwrap();
            cmd.current_dir(fixtures().join(fixture))
                .args(["--format", "json", "--no-deps"]);
            if let Some(l) = limit {
                cmd.env("POLLGUARD_DEBUG_BATCH_BYTES", l);
            }
            String::from_utf8(cmd.output().unwrap().stdout).unwrap()
        };
        let kept = run(None);
        assert!(!kept.is_empty(), "{fixture}: no findings to compare");
        assert_eq!(run(Some("1")), kept, "{fixture}");
    }
}

/// Futures handed to GLib's main loop run on the GTK thread, not on a
/// Tokio worker: what they do, and what the async fns only they await do
/// (in another file too), is not reported. An async fn a Tokio task also
/// awaits, or one spawned onto Tokio, still is.
#[test]
fn futures_on_glibs_main_loop_are_not_tokios() {
    let dir = temp_project(
        "glib-loop",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"gl\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            (
                "src/lib.rs",
                "mod app;\npub use app::App;\npub fn run(app: App) {\n    glib::MainContext::default().spawn_local(async move {\n        app.handle().await;\n        let _ = std::fs::read(\"inline\");\n    });\n    glib::spawn_future_local(async { app::shared().await });\n}\npub async fn tokio_side() {\n    app::shared().await;\n    tokio::spawn(app::spawned());\n}\n",
            ),
            (
                "src/app.rs",
                "pub struct App;\nimpl App {\n    pub async fn handle(&self) {\n        let _ = std::fs::read(\"x\");\n        self.open().await;\n    }\n    async fn open(&self) {\n        std::thread::sleep(std::time::Duration::from_millis(1));\n    }\n}\npub async fn shared() {\n    let _ = std::fs::read(\"shared\");\n}\npub async fn spawned() {\n    let _ = std::fs::read(\"spawned\");\n}\n",
            ),
        ],
    );
    let r = run_in(&dir, &["--format", "json", "--no-deps"]);
    let mut got: Vec<(String, u64)> = json_lines(&r.stdout)
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [("src/app.rs".to_owned(), 12), ("src/app.rs".to_owned(), 15)],
        "{}",
        r.stdout
    );
}
