//! Adopting pollguard on a codebase that already has findings, as a user
//! would: a baseline written, then the code edited; where findings run
//! (`context`) and the levels per context; groups and the summary table;
//! messages; `--fix`. Each test builds its workspace in a temporary
//! directory, so edits never touch the repository.

use assert_cmd::Command;
use std::path::PathBuf;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A throwaway workspace under the system's temporary directory.
struct Ws {
    dir: PathBuf,
}

impl Ws {
    fn new(name: &str, files: &[(&str, &str)]) -> Ws {
        let dir = std::env::temp_dir().join(format!("pollguard-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Ws { dir }
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.dir.join(path), text).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir.join(path)).unwrap()
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::cargo_bin("cargo-pollguard")
            .unwrap()
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .args(args)
            .output()
            .unwrap();
        let clean = |b: Vec<u8>| {
            String::from_utf8(b)
                .unwrap()
                .replace(&self.dir.display().to_string(), "[WS]")
        };
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: clean(out.stdout),
            stderr: clean(out.stderr),
        }
    }

    /// `--format json`, as `file:line rule` strings.
    fn findings(&self, args: &[&str]) -> (i32, Vec<String>) {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let r = self.run(&all);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        (
            r.code,
            json_lines(&r.stdout)
                .iter()
                .map(|f| {
                    format!(
                        "{}:{} {}",
                        f["file"].as_str().unwrap(),
                        f["line"],
                        f["rule"].as_str().unwrap()
                    )
                })
                .collect(),
        )
    }
}

impl Drop for Ws {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const MANIFEST: &str = "\
[package]
name = \"svc\"
version = \"0.1.0\"
edition = \"2021\"

[dependencies]
tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }

[workspace]
";

const MAIN: &str = "\
mod config;

#[tokio::main]
async fn main() {
    let _cfg = config::load();
    tokio::spawn(async {
        std::thread::sleep(std::time::Duration::from_millis(5));
    });
}

async fn handler() {
    let _a = std::fs::read_to_string(\"a.txt\");
    let _b = config::load();
}

async fn other() {
    let _c = 1;
}
";

const CONFIG: &str = "\
pub fn load() -> String {
    std::fs::read_to_string(\"app.toml\").unwrap_or_default()
}
";

fn service(name: &str) -> Ws {
    Ws::new(
        name,
        &[
            ("Cargo.toml", MANIFEST),
            ("src/main.rs", MAIN),
            ("src/config.rs", CONFIG),
        ],
    )
}

#[test]
fn baseline_survives_edits_elsewhere_and_catches_new_calls() {
    let ws = service("baseline");
    let (code, all) = ws.findings(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        all,
        [
            "src/main.rs:5 PG902",
            "src/main.rs:7 PG101",
            "src/main.rs:12 PG111",
            "src/main.rs:13 PG902"
        ]
    );

    let w = ws.run(&["--write-baseline"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    assert_eq!(w.stdout, "");
    assert_eq!(
        w.stderr,
        "pollguard: wrote 4 findings to pollguard-baseline.json\n\
         pollguard: to fail only on new findings, run `cargo pollguard --baseline pollguard-baseline.json`, \
         or add `baseline = \"pollguard-baseline.json\"` to [workspace.metadata.pollguard] of Cargo.toml \
         and run `cargo pollguard`\n"
    );
    let written = ws.read("pollguard-baseline.json");
    insta::assert_snapshot!("baseline_file", written);

    // Nothing new: exit 0, the summary says how many were left out.
    let r = ws.run(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert_eq!(
        r.stderr,
        "pollguard: 0 errors, 0 warnings in 0 files (2 files scanned, 4 baselined)\n"
    );

    // Lines inserted above, the fn reformatted around the call, a helper
    // added: the same findings, all baselined.
    let edited = MAIN
        .replace(
            "mod config;\n",
            "//! The service.\n\nmod config;\n\nfn unrelated() -> u32 {\n    41 + 1\n}\n",
        )
        .replace(
            "    let _a = std::fs::read_to_string(\"a.txt\");\n",
            "    let _a =\n        std::fs::read_to_string(\n            \"a.txt\", // the input\n        );\n",
        );
    ws.write("src/main.rs", &edited);
    let (code, new) = ws.findings(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!((code, new.len()), (0, 0), "{new:?}");

    // A new blocking call in another fn is new.
    let with_other = edited.replace(
        "    let _c = 1;\n",
        "    let _c = 1;\n    std::thread::sleep(std::time::Duration::from_millis(1));\n",
    );
    ws.write("src/main.rs", &with_other);
    let (code, new) = ws.findings(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!((code, new), (1, vec!["src/main.rs:27 PG101".to_owned()]));

    // A second identical call in the same fn is new too; the first is not.
    let twice = edited.replace(
        "    let _b = config::load();\n",
        "    let _b = config::load();\n    let _d = std::fs::read_to_string(\"a.txt\");\n",
    );
    ws.write("src/main.rs", &twice);
    let (code, new) = ws.findings(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!((code, new), (1, vec!["src/main.rs:23 PG111".to_owned()]));
    // Human output shows only it, and counts the rest.
    let human = ws.run(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("baseline_new_call_human", human.stdout);
    assert_eq!(
        human.stderr,
        "pollguard: 1 error, 0 warnings in 1 file (2 files scanned, 4 baselined)\n"
    );

    // A fixed call: nothing fails, and the stale entry is reported on request.
    let fixed = edited.replace("    let _a =\n        std::fs::read_to_string(\n            \"a.txt\", // the input\n        );\n", "");
    ws.write("src/main.rs", &fixed);
    let quiet = ws.run(&["--baseline", "pollguard-baseline.json"]);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (0, ""));
    let stale = ws.run(&[
        "--baseline",
        "pollguard-baseline.json",
        "--report-stale-baseline",
    ]);
    assert_eq!(stale.code, 0, "{}", stale.stderr);
    insta::assert_snapshot!("baseline_stale_human", stale.stdout);
    let stale_json = ws.run(&[
        "--baseline",
        "pollguard-baseline.json",
        "--report-stale-baseline",
        "--format",
        "json",
    ]);
    let lines = json_lines(&stale_json.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["rule"], "PG003");
    assert_eq!(lines[0]["file"], "pollguard-baseline.json");
    // cargo's format reads it too (the baseline is not a source file).
    let cargo = ws.run(&[
        "--baseline",
        "pollguard-baseline.json",
        "--report-stale-baseline",
        "--message-format",
        "json",
    ]);
    assert_eq!(cargo.code, 0, "{}", cargo.stderr);
    for line in cargo.stdout.lines() {
        let _: cargo_metadata::Message = serde_json::from_str(line).unwrap();
    }

    // Rewriting keeps the order: the old file minus the stale line.
    let w = ws.run(&["--write-baseline"]);
    assert_eq!(w.code, 0);
    let rewritten = ws.read("pollguard-baseline.json");
    let old: Vec<&str> = written.lines().filter(|l| !l.contains("a.txt")).collect();
    let new: Vec<&str> = rewritten.lines().collect();
    let strip = |l: &str| l.trim_end_matches(',').to_owned();
    assert_eq!(
        old.iter().map(|l| strip(l)).collect::<Vec<_>>(),
        new.iter().map(|l| strip(l)).collect::<Vec<_>>()
    );
    let r = ws.run(&[
        "--baseline",
        "pollguard-baseline.json",
        "--report-stale-baseline",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}

#[test]
fn baseline_from_config_and_every_format_prints_only_new_findings() {
    let ws = service("baseline-config");
    ws.write(
        "Cargo.toml",
        &format!("{MANIFEST}\n[workspace.metadata.pollguard]\nbaseline = \"ci/pollguard.json\"\n"),
    );
    std::fs::create_dir_all(ws.dir.join("ci")).unwrap();
    // Without a file yet, the error says how to make one.
    let missing = ws.run(&[]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("create it with `cargo pollguard --write-baseline`"),
        "{}",
        missing.stderr
    );
    // `--write-baseline` without a file writes the configured one.
    let w = ws.run(&["--write-baseline"]);
    assert_eq!(w.code, 0, "{}", w.stderr);
    assert!(ws.dir.join("ci/pollguard.json").is_file());
    assert_eq!(ws.run(&[]).code, 0);
    ws.write(
        "src/main.rs",
        &MAIN.replace(
            "    let _c = 1;\n",
            "    let _c = 1;\n    std::thread::sleep(std::time::Duration::from_millis(1));\n",
        ),
    );
    let json = ws.run(&["--format", "json"]);
    assert_eq!(json.code, 1);
    let lines = json_lines(&json.stdout);
    assert_eq!(lines.len(), 1);
    let fingerprint = lines[0]["fingerprint"].as_str().unwrap().to_owned();
    assert_eq!(fingerprint.len(), 16);
    let sarif = ws.run(&["--format", "sarif"]);
    assert_eq!(sarif.code, 1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["partialFingerprints"]["pollguard/v1"],
        fingerprint.as_str()
    );
    let github = ws.run(&["--format", "github"]);
    assert_eq!(github.code, 1);
    assert_eq!(github.stdout.lines().count(), 1);
    assert!(
        github
            .stdout
            .starts_with("::error file=src/main.rs,line=18,")
    );
    // The fingerprint is the one the baseline records.
    let all = ws.run(&["--write-baseline", "everything.json"]);
    assert_eq!(all.code, 0);
    assert!(ws.read("everything.json").contains(&fingerprint));
}

#[test]
fn baseline_errors_exit_2() {
    let ws = service("baseline-errors");
    ws.write("bad.json", "{\"version\": 1, \"findings\": [");
    let bad = ws.run(&["--baseline", "bad.json"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .starts_with("error: cannot parse the baseline `[WS]/bad.json`")
    );
    let stale = ws.run(&["--report-stale-baseline"]);
    assert_eq!(stale.code, 2);
    assert_eq!(
        stale.stderr,
        "error: `--report-stale-baseline` needs a baseline: pass `--baseline FILE` or set `baseline` in [workspace.metadata.pollguard]\n"
    );
    ws.write(
        "Cargo.toml",
        &format!("{MANIFEST}\n[workspace.metadata.pollguard]\nbaseline = 3\n"),
    );
    let typed = ws.run(&[]);
    assert_eq!(typed.code, 2);
    assert_eq!(
        typed.stderr,
        "error: `baseline` in [workspace.metadata.pollguard] of [WS]/Cargo.toml must be a file name, like `baseline = \"pollguard-baseline.json\"`\n"
    );
}

const SLEEP: &str = "std::thread::sleep(std::time::Duration::from_millis(1));";

fn contexts_ws(name: &str, extra_manifest: &str) -> Ws {
    let manifest = format!(
        "[package]\nname = \"ctx\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n{extra_manifest}"
    );
    let lib = format!(
        "pub async fn serve() {{\n    {SLEEP}\n}}\n\n\
         #[tokio::test]\nasync fn top_level_test() {{\n    {SLEEP}\n}}\n\n\
         #[cfg(test)]\nmod tests {{\n    async fn helper() {{\n        {SLEEP}\n    }}\n}}\n"
    );
    let main = format!(
        "#[tokio::main]\nasync fn main() {{\n    {SLEEP}\n    tokio::spawn(async move {{\n        {SLEEP}\n    }});\n}}\n"
    );
    Ws::new(
        name,
        &[
            ("Cargo.toml", manifest.as_str()),
            ("src/lib.rs", lib.as_str()),
            ("src/main.rs", main.as_str()),
            (
                "src/bin/actix.rs",
                &format!("#[actix_web::main]\nasync fn main() {{\n    {SLEEP}\n}}\n"),
            ),
            (
                "src/bin/astd.rs",
                &format!("#[async_std::main]\nasync fn main() {{\n    {SLEEP}\n}}\n"),
            ),
            (
                "src/bin/single.rs",
                &format!(
                    "#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    {SLEEP}\n}}\n"
                ),
            ),
            (
                "src/bin/plain.rs",
                &format!("fn main() {{}}\n\nasync fn main_like() {{\n    {SLEEP}\n}}\n"),
            ),
            (
                "tests/it.rs",
                &format!("async fn helper() {{\n    {SLEEP}\n}}\n"),
            ),
            (
                "examples/demo.rs",
                &format!("#[tokio::main]\nasync fn main() {{\n    {SLEEP}\n}}\n"),
            ),
            (
                "benches/speed.rs",
                &format!("async fn run() {{\n    {SLEEP}\n}}\n"),
            ),
        ],
    )
}

fn contexts_of(ws: &Ws, args: &[&str]) -> Vec<String> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let r = ws.run(&all);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    json_lines(&r.stdout)
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["context"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn each_finding_says_where_it_runs() {
    let ws = contexts_ws("contexts", "");
    assert_eq!(
        contexts_of(&ws, &[]),
        [
            "benches/speed.rs:2 bench error",
            "examples/demo.rs:3 example error",
            "src/bin/actix.rs:3 main error",
            "src/bin/astd.rs:3 main error",
            "src/bin/plain.rs:4 async error",
            "src/bin/single.rs:3 main error",
            "src/lib.rs:2 async error",
            "src/lib.rs:7 test error",
            "src/lib.rs:13 test error",
            "src/main.rs:3 main error",
            "src/main.rs:5 async error",
            "tests/it.rs:2 test error",
        ]
    );
    // Human output explains what blocking costs where it is not a worker.
    let human = ws.run(&["src/main.rs", "src/bin/single.rs", "src/lib.rs"]);
    insta::assert_snapshot!("contexts_human", human.stdout);
    // SARIF carries it as a property.
    let sarif = ws.run(&["--format", "sarif", "examples/demo.rs"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(
        log["runs"][0]["results"][0]["properties"]["context"],
        "example"
    );
}

#[test]
fn levels_per_context_from_the_config() {
    let ws = contexts_ws(
        "context-levels",
        "\n[workspace.metadata.pollguard.contexts]\ntest = \"allow\"\nexample = \"warn\"\nbench = \"allow\"\nmain = \"warn\"\n",
    );
    assert_eq!(
        contexts_of(&ws, &[]),
        [
            "examples/demo.rs:3 example warning",
            "src/bin/actix.rs:3 main warning",
            "src/bin/astd.rs:3 main warning",
            "src/bin/plain.rs:4 async error",
            "src/bin/single.rs:3 main warning",
            "src/lib.rs:2 async error",
            "src/main.rs:3 main warning",
            "src/main.rs:5 async error",
        ]
    );
    // A context's level only ever lowers a rule's: `deny` keeps a warning a warning.
    let ws = contexts_ws(
        "context-deny",
        "\n[workspace.metadata.pollguard]\nwarn = [\"sleep\"]\n\n[workspace.metadata.pollguard.contexts]\nmain = \"deny\"\n",
    );
    let r = ws.run(&["--format", "json", "src/main.rs"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        json_lines(&r.stdout)
            .iter()
            .all(|f| f["severity"] == "warning")
    );
}

#[test]
fn context_config_errors_name_the_key() {
    let cases = [
        (
            "[workspace.metadata.pollguard.contexts]\ntset = \"warn\"\n",
            "error: unknown key `tset` in `contexts` of [workspace.metadata.pollguard] of [WS]/Cargo.toml: did you mean `test`?\n",
        ),
        (
            "[workspace.metadata.pollguard.contexts]\nasync = \"warn\"\n",
            "error: unknown key `async` in `contexts` of [workspace.metadata.pollguard] of [WS]/Cargo.toml: expected one of `test`, `example`, `bench`, `main`\n",
        ),
        (
            "[workspace.metadata.pollguard.contexts]\nmain = \"wran\"\n",
            "error: unknown level `wran` for `main` in `contexts` of [workspace.metadata.pollguard] of [WS]/Cargo.toml: did you mean `warn`?\n",
        ),
        (
            "[workspace.metadata.pollguard.contexts]\nexample = false\n",
            "error: `example` in `contexts` of [workspace.metadata.pollguard] of [WS]/Cargo.toml must be \"deny\", \"warn\" or \"allow\", not boolean\n",
        ),
        (
            "[workspace.metadata.pollguard]\ncontexts = [\"test\"]\n",
            "error: `contexts` of [workspace.metadata.pollguard] of [WS]/Cargo.toml must be a table, like `contexts = { test = \"warn\" }`, not array\n",
        ),
        (
            "[workspace.metadata.pollguard]\ncontext = { test = \"warn\" }\n",
            "error: unknown key `context` in [workspace.metadata.pollguard] of [WS]/Cargo.toml: did you mean `contexts`?\n",
        ),
    ];
    for (i, (config, expected)) in cases.into_iter().enumerate() {
        let ws = contexts_ws(&format!("context-error-{i}"), config);
        let r = ws.run(&[]);
        assert_eq!((r.code, r.stderr.as_str()), (2, expected));
    }
}

fn many_ws(name: &str) -> Ws {
    let mut handlers = String::from("use crate::db::load;\n\n");
    for i in 0..12 {
        handlers.push_str(&format!(
            "pub async fn h{i}() {{\n    let _ = load();\n}}\n\n"
        ));
    }
    let mut sleeps = String::new();
    for i in 0..10 {
        sleeps.push_str(&format!("pub async fn s{i}() {{\n    {SLEEP}\n}}\n\n"));
    }
    let manifest =
        "[package]\nname = \"many\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";
    Ws::new(
        name,
        &[
            ("Cargo.toml", manifest),
            (
                "src/lib.rs",
                "pub mod db;\npub mod handlers;\npub mod jobs;\n",
            ),
            (
                "src/db.rs",
                "pub fn load() -> Vec<u8> {\n    std::fs::read(\"db.bin\").unwrap()\n}\n",
            ),
            ("src/handlers.rs", handlers.as_str()),
            ("src/jobs.rs", sleeps.as_str()),
            (
                "tests/it.rs",
                &format!("#[tokio::test]\nasync fn t() {{\n    {SLEEP}\n}}\n"),
            ),
        ],
    )
}

#[test]
fn one_helper_called_from_many_places_is_one_group() {
    let ws = many_ws("groups");
    let json = ws.run(&["--format", "json"]);
    assert_eq!(json.code, 1);
    let lines = json_lines(&json.stdout);
    assert_eq!(lines.len(), 23);
    // One object per call site, the same group for all twelve.
    let grouped: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|f| f["group"] == "src/db.rs#crate::db::load")
        .collect();
    assert_eq!(grouped.len(), 12);
    assert!(
        lines
            .iter()
            .filter(|f| f["rule"] == "PG101")
            .all(|f| f["group"].is_null())
    );
    // Human output: one finding listing every call site, then the table.
    let human = ws.run(&[]);
    assert_eq!(human.code, 1);
    assert_eq!(human.stdout.matches("error[PG902]").count(), 1);
    assert_eq!(human.stdout.matches("error[PG101]").count(), 11);
    insta::assert_snapshot!("groups_human", human.stdout);
    assert_eq!(
        human.stderr,
        "pollguard: 23 errors, 0 warnings in 3 files (5 files scanned)\n"
    );
}

#[test]
fn summary_table_on_request() {
    let ws = many_ws("summary");
    // Few findings: no table unless asked.
    let few = ws.run(&["src/jobs.rs"]);
    assert!(!few.stdout.contains("summary:"));
    let asked = ws.run(&["--summary", "src/jobs.rs", "tests/it.rs"]);
    let table = &asked.stdout[asked.stdout.find("summary:").unwrap()..];
    // The headline that opens the output is only for more than a screenful.
    assert!(asked.stdout.starts_with("error[PG101]"), "{}", asked.stdout);
    insta::assert_snapshot!("summary_table", table);
    // With a baseline, the table says how many it holds.
    assert_eq!(ws.run(&["--write-baseline"]).code, 0);
    let base = ws.run(&["--summary", "--baseline", "pollguard-baseline.json"]);
    assert_eq!(base.code, 0);
    assert_eq!(
        base.stdout,
        "summary: 0 findings (23 more in the baseline)\n"
    );
}

#[test]
fn messages_say_what_happens_and_chains_show_the_worst_call() {
    let ws = Ws::new(
        "messages",
        &[(
            "lib.rs",
            "use tokio::sync::mpsc::Receiver;\n\
             \n\
             fn pause() {\n    std::thread::sleep(std::time::Duration::from_millis(1));\n}\n\
             fn wait_job(rx: &mut Receiver<u8>) -> Option<u8> {\n    rx.blocking_recv()\n}\n\
             fn forward(rx: &mut Receiver<u8>) -> Option<u8> {\n    wait_job(rx)\n}\n\
             fn step(rx: &mut Receiver<u8>) -> Option<u8> {\n    pause();\n    forward(rx)\n}\n\
             \n\
             async fn handler(rx: &mut Receiver<u8>, rt: tokio::runtime::Runtime, h: tokio::runtime::Handle) {\n\
             \x20   step(rx);\n\
             \x20   rx.blocking_recv();\n\
             \x20   rt.block_on(async {});\n\
             \x20   h.block_on(async {});\n\
             \x20   futures::executor::block_on(async {});\n\
             }\n",
        )],
    );
    let r = ws.run(&["--format", "json", "lib.rs"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines = json_lines(&r.stdout);
    let messages: Vec<&str> = lines
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!("messages", messages.join("\n"));
    // `step` reaches a sleep in one call and a panicking `blocking_recv`
    // in three: the chain shown is the panic.
    assert_eq!(
        lines[0]["notes"][0],
        "`step` → `forward` → `wait_job` → `.blocking_recv()` at lib.rs:7"
    );
}

/// The version of tokio the workspace's own lock file pins: the registry
/// cache has it, so a crate depending on exactly it builds offline.
fn locked_tokio() -> String {
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    let needle = "name = \"tokio\"\nversion = \"";
    let at = lock.find(needle).unwrap() + needle.len();
    lock[at..at + lock[at..].find('"').unwrap()].to_owned()
}

const FIXABLE: &str = "\
use std::thread::sleep;
use std::time::Duration;

#[tokio::main(flavor = \"current_thread\")]
async fn main() {
    sleep(Duration::from_millis(1));
    let text = std::fs::read_to_string(\"Cargo.toml\").unwrap_or_default();
    std::fs::write(
        \"target/out.txt\",
        text.as_bytes(),
    )
    .ok();
    let n = std::fs::read(\"Cargo.toml\").map(|b| b.len());
    let in_closure = || std::fs::read(\"Cargo.toml\");
    let _ = in_closure();
    let _ = tokio::spawn(async {
        std::thread::sleep(Duration::from_millis(1));
    })
    .await;
    let _ = std::fs::read_dir(\".\");
    println!(\"{n:?}\");
    let _ = tokio::spawn(async {
        let m = std::sync::Mutex::new(0);
        let guard = m.lock().unwrap();
        std::thread::sleep(Duration::from_millis(1));
        drop(guard);
    })
    .await;
}
";

fn git(dir: &std::path::Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

fn fixable_ws(name: &str, features: &str) -> Ws {
    let manifest = format!(
        "[package]\nname = \"fixme\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\ntokio = {{ version = \"={}\", features = [{features}] }}\n\n[workspace]\n",
        locked_tokio()
    );
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    Ws::new(
        name,
        &[
            ("Cargo.toml", manifest.as_str()),
            ("Cargo.lock", lock.as_str()),
            (".gitignore", "/target\n"),
            ("src/main.rs", FIXABLE),
        ],
    )
}

#[test]
fn fixes_are_offered_where_certain_and_applied_by_fix() {
    let ws = fixable_ws("fix", "\"rt\", \"macros\", \"time\", \"fs\"");
    // Offered: in JSON, and as rustc-style suggestions in cargo's format.
    let json = ws.run(&["--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let fixes: Vec<String> = json_lines(&json.stdout)
        .iter()
        .map(|f| format!("{}: {}", f["line"], f["fix"]["replacement"]))
        .collect();
    assert_eq!(
        fixes,
        [
            "6: \"tokio::time::sleep(Duration::from_millis(1)).await\"",
            "7: \"tokio::fs::read_to_string(\\\"Cargo.toml\\\").await\"",
            "8: \"tokio::fs::write(\\n        \\\"target/out.txt\\\",\\n        text.as_bytes(),\\n    ).await\"",
            "13: \"tokio::fs::read(\\\"Cargo.toml\\\").await\"",
            // In a closure: `.await` is not allowed there.
            "14: null",
            "17: \"tokio::time::sleep(Duration::from_millis(1)).await\"",
            // `tokio::fs::ReadDir` is not an iterator: no drop-in twin.
            "20: null",
            // A guard is held: `.await` here would make the task `!Send`.
            "25: null",
        ]
    );
    let cargo = ws.run(&["--format", "cargo-json"]);
    let mut suggestions = 0;
    for line in cargo.stdout.lines() {
        if let cargo_metadata::Message::CompilerMessage(m) = serde_json::from_str(line).unwrap() {
            for child in &m.message.children {
                for span in &child.spans {
                    assert_eq!(
                        span.suggestion_applicability,
                        Some(cargo_metadata::diagnostic::Applicability::MachineApplicable)
                    );
                    assert!(
                        span.suggested_replacement
                            .as_deref()
                            .unwrap()
                            .ends_with(".await")
                    );
                    suggestions += 1;
                }
            }
        }
    }
    assert_eq!(suggestions, 5);
    assert_eq!(ws.run(&["--message-format", "json"]).stdout, cargo.stdout);
    let human = ws.run(&["src/main.rs"]);
    assert!(human.stdout.contains(
        "= help: `cargo pollguard --fix` replaces it with `tokio::time::sleep(Duration::from_millis(1)).await`"
    ));

    // Outside git, and on a dirty tree, `--fix` refuses and touches nothing.
    let no_vcs = ws.run(&["--fix"]);
    assert_eq!(no_vcs.code, 2);
    assert!(
        no_vcs.stderr.contains("pass `--allow-no-vcs`"),
        "{}",
        no_vcs.stderr
    );
    git(&ws.dir, &["init", "-q"]);
    let dirty = ws.run(&["--fix"]);
    assert_eq!(dirty.code, 2);
    assert!(
        dirty.stderr.contains("uncommitted changes"),
        "{}",
        dirty.stderr
    );
    assert!(dirty.stderr.contains("src/main.rs"));
    assert!(dirty.stderr.contains("or pass `--allow-dirty`"));
    assert_eq!(ws.read("src/main.rs"), FIXABLE);
    git(&ws.dir, &["add", "."]);
    git(&ws.dir, &["commit", "-qm", "start"]);

    let fixed = ws.run(&["--fix"]);
    assert_eq!(fixed.code, 1, "{}", fixed.stderr);
    assert!(
        fixed
            .stderr
            .starts_with("pollguard: fixed 5 calls in 1 file\n")
    );
    // What is left: the closure, `read_dir` and the sleep under a guard.
    assert_eq!(fixed.stdout.matches("error[PG111]").count(), 2);
    assert_eq!(fixed.stdout.matches("error[PG101]").count(), 1);
    insta::assert_snapshot!("fixed_main", ws.read("src/main.rs"));

    // And it still compiles.
    let target = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/pollguard-fix-check");
    let check = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&ws.dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn no_fix_without_the_tokio_feature() {
    for (i, features) in ["\"rt\", \"macros\"", "\"rt\", \"macros\", \"fs\""]
        .into_iter()
        .enumerate()
    {
        let ws = fixable_ws(&format!("nofix-{i}"), features);
        let json = ws.run(&["--format", "json"]);
        assert_eq!(json.code, 1, "{}", json.stderr);
        let fixed: Vec<u64> = json_lines(&json.stdout)
            .iter()
            .filter(|f| !f["fix"].is_null())
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        // Without `time`, no sleep is fixed; without `fs`, no file call.
        let expected: &[u64] = if i == 0 { &[] } else { &[7, 8, 13] };
        assert_eq!(fixed, expected);
    }
    // `full`, inherited from the workspace, has both.
    let ws = fixable_ws("nofix-inherited", "");
    ws.write(
        "Cargo.toml",
        "[package]\nname = \"fixme\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
         [dependencies]\ntokio = { workspace = true }\n\n\
         [workspace.dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\n\n[workspace]\n",
    );
    let json = ws.run(&["--format", "json"]);
    assert_eq!(
        json_lines(&json.stdout)
            .iter()
            .filter(|f| !f["fix"].is_null())
            .count(),
        5
    );
}
