//! Reading dependencies as source: the graph of `tests/fixtures/deps`, each
//! crate's module tree, `cfg` removal, and the cache.

use cargo_pollguard::deps::{self, Cache, Cfg, CrateSource, DepCrate, DepGraph, DepOptions};
use cargo_pollguard::source::STACK_SIZE;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use syn::Item;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps")
}

fn offline() -> DepOptions {
    DepOptions {
        offline: true,
        ..DepOptions::default()
    }
}

/// A fresh directory under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pollguard-deps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `read_crate`, then `check` on what it read, on a thread with the stack
/// the scan's workers have (syn's trees cannot leave the thread).
fn read<R: Send>(dep: &DepCrate, cfg: &Cfg, check: impl FnOnce(&CrateSource) -> R + Send) -> R {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(s, || check(&deps::read_crate(dep, cfg)))
            .expect("spawn")
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

fn by_name<'g>(g: &'g DepGraph, name: &str) -> (usize, &'g DepCrate) {
    g.crates
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
        .unwrap_or_else(|| panic!("no crate `{name}` in {:?}", names(g)))
}

fn names(g: &DepGraph) -> Vec<&str> {
    g.crates.iter().map(|c| c.name.as_str()).collect()
}

fn fixture_graph() -> DepGraph {
    deps::graph(&fixture(), None, &offline()).expect("graph of the fixture")
}

#[test]
fn graph_keeps_linked_libraries_in_dependency_order() {
    let g = fixture_graph();
    let mut got = names(&g);
    got.sort_unstable();
    // No member (`app`), proc macro (`pm`), build-only dependency
    // (`buildonly`), nor a package whose lib root is missing (`broken`).
    assert_eq!(got, ["bar-baz", "devonly", "leaf", "util"]);
    for (i, c) in g.crates.iter().enumerate() {
        for (_, d) in &c.deps {
            assert!(*d < i, "`{}` comes before its dependency", c.name);
        }
    }
    let (leaf, _) = by_name(&g, "leaf");
    let (util_i, util) = by_name(&g, "util");
    assert_eq!(util.deps, [("leaf".to_owned(), leaf)]);
    assert_eq!(util.features, ["extra"]);
    assert_eq!(util.lib_name, "util");
    assert_eq!(util.edition, "2021");
    assert!(util.local);
    assert!(util.root.ends_with("crates/util/src/lib.rs"));
    let (baz_i, baz) = by_name(&g, "bar-baz");
    assert_eq!(baz.lib_name, "bar_baz");
    assert_eq!(baz.version, "0.2.0");
    assert_eq!(baz.edition, "2018");
    let (dev_i, _) = by_name(&g, "devonly");
    assert_eq!(g.roots.len(), 1);
    let (member, roots) = g.roots.iter().next().expect("one member");
    assert!(member.contains("app"), "{member}");
    let mut roots = roots.clone();
    roots.sort();
    // The renamed dependency under the name `app`'s code spells.
    assert_eq!(
        roots,
        [
            ("devonly".to_owned(), dev_i),
            ("foo".to_owned(), baz_i),
            ("util".to_owned(), util_i)
        ]
    );
    assert_eq!(g.problems.len(), 1, "{:?}", g.problems);
    let p = &g.problems[0];
    assert!(
        p.contains("`broken 0.1.0`") && p.contains("not_here.rs") && !p.contains('\n'),
        "{p}"
    );
    let keys: HashSet<&str> = g.crates.iter().map(|c| c.cache_key.as_str()).collect();
    assert_eq!(keys.len(), g.crates.len());
    assert!(
        g.crates
            .iter()
            .all(|c| c.cache_key.len() == 64 && c.cache_key.bytes().all(|b| b.is_ascii_hexdigit()))
    );
}

#[test]
fn graph_failure_is_one_line_suggesting_no_deps() {
    let dir = temp_dir("nomanifest");
    let err =
        deps::graph(&dir, Some(&dir.join("Cargo.toml")), &offline()).expect_err("no manifest");
    assert!(
        err.starts_with("cannot resolve the dependencies with `cargo metadata`"),
        "{err}"
    );
    assert!(err.contains("`--no-deps`") && !err.contains('\n'), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn module_paths(src: &CrateSource) -> Vec<String> {
    src.files.iter().map(|f| f.module_path.join("::")).collect()
}

fn fn_names(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn read_follows_modules_like_rustc_and_drops_cfg_false_items() {
    let g = fixture_graph();
    let cfg = Cfg::host().expect("host cfg");
    let (_, util) = by_name(&g, "util");
    read(util, &cfg, |src| {
        let mut mods = module_paths(src);
        assert_eq!(mods.first().map(String::as_str), Some("crate"));
        mods.sort();
        let mut want = vec![
            "crate",
            "crate::again",
            "crate::again::sibling",
            "crate::backend",
            "crate::gated",
            "crate::inner::deep",
            "crate::macros",
            "crate::net",
            "crate::net::tcp",
            "crate::net::wire::frame",
            "crate::odd",
            "crate::odd::sibling",
            "crate::store",
            "crate::store::disk",
        ];
        if cfg!(unix) {
            want.push("crate::nix");
            want.push("crate::plat");
        }
        want.sort_unstable();
        assert_eq!(mods, want);
        // `bad.rs` does not parse; `#[cfg(windows)] mod missing_on_purpose;` has
        // no file and is not looked for.
        assert_eq!(src.errors.len(), 1, "{:?}", src.errors);
        assert!(src.errors[0].starts_with("cannot parse `") && src.errors[0].contains("bad.rs"));
        let by_path = |p: &str| {
            src.files
                .iter()
                .find(|f| f.path.ends_with(p))
                .unwrap_or_else(|| panic!("no {p}"))
        };
        assert!(by_path("net/tcp.rs").module_path == ["crate", "net", "tcp"]);
        assert!(by_path("weird/sibling.rs").module_path == ["crate", "odd", "sibling"]);
        let root = &src.files[0];
        assert!(root.text_len > 0);
        let fns = fn_names(&root.file.items);
        assert!(fns.contains(&"extra".to_owned()) && fns.contains(&"not_test".to_owned()));
        assert!(!fns.contains(&"unused".to_owned()), "{fns:?}");
        let mods_in_root: Vec<String> = root
            .file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        assert!(!mods_in_root.contains(&"tests".to_owned()));
        assert!(!mods_in_root.contains(&"win".to_owned()));
        // The wrapper macro is expanded into the module it gates.
        assert!(mods_in_root.contains(&"gated".to_owned()));
        let methods: Vec<(String, usize)> = root
            .file
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Impl(imp) => Some(imp),
                _ => None,
            })
            .flat_map(|imp| &imp.items)
            .filter_map(|ii| match ii {
                syn::ImplItem::Fn(f) => Some((f.sig.ident.to_string(), f.block.stmts.len())),
                _ => None,
            })
            .collect();
        // Inside fn bodies too, a statement under a false `cfg` is gone.
        assert_eq!(methods, [("everywhere".to_owned(), 0)]);
    });
}

/// The names of the fields of struct `name`, and of the variants of enum
/// `name` with their field counts, among `items`.
fn members(items: &[Item], name: &str) -> Vec<String> {
    let field_names = |f: &syn::Fields| -> Vec<String> {
        f.iter()
            .enumerate()
            .map(|(i, f)| f.ident.as_ref().map_or(i.to_string(), ToString::to_string))
            .collect()
    };
    items
        .iter()
        .find_map(|i| match i {
            Item::Struct(s) if s.ident == name => Some(field_names(&s.fields)),
            Item::Enum(e) if e.ident == name => Some(
                e.variants
                    .iter()
                    .map(|v| format!("{}{:?}", v.ident, field_names(&v.fields)))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// Fields and variants off for the host or the features are dropped: their
/// types feed nothing.
#[test]
fn cfg_false_fields_and_variants_are_dropped() {
    let g = fixture_graph();
    let cfg = Cfg::host().expect("host cfg");
    let (_, util) = by_name(&g, "util");
    read(util, &cfg, |src| {
        let items = &src.files[0].file.items;
        assert_eq!(members(items, "Settings"), ["always", "extra"]);
        assert_eq!(members(items, "Mode"), [r#"Plain["0"]"#]);
        // In fn bodies too: statements, match arms, struct-literal fields.
        let body = items
            .iter()
            .find_map(|i| match i {
                Item::Fn(f) if f.sig.ident == "settings" => Some(quote::quote!(#f).to_string()),
                _ => None,
            })
            .expect("fn settings");
        assert!(!body.contains("win"), "{body}");
        assert!(!body.contains("Windows"), "{body}");
        assert!(body.contains("extra : 2"), "{body}");
    });
    let mut bare = util.clone();
    bare.features.clear();
    read(&bare, &cfg, |src| {
        assert_eq!(members(&src.files[0].file.items, "Settings"), ["always"]);
    });
}

#[test]
fn features_decide_cfg_feature_items() {
    let g = fixture_graph();
    let cfg = Cfg::host().expect("host cfg");
    let (_, util) = by_name(&g, "util");
    let mut bare = util.clone();
    bare.features.clear();
    read(&bare, &cfg, |src| {
        let mods = module_paths(src);
        assert!(!mods.contains(&"crate::gated".to_owned()), "{mods:?}");
        assert!(!fn_names(&src.files[0].file.items).contains(&"extra".to_owned()));
    });
}

#[test]
fn a_crate_with_renamed_extern_crates_is_read_whole() {
    let g = fixture_graph();
    let cfg = Cfg::host().expect("host cfg");
    let (_, baz) = by_name(&g, "bar-baz");
    read(baz, &cfg, |src| {
        assert_eq!(src.files.len(), 1);
        assert!(src.errors.is_empty(), "{:?}", src.errors);
    });
}

#[test]
fn local_cache_keys_follow_source_edits() {
    let dir = temp_dir("edit");
    copy_tree(&fixture(), &dir);
    let key = || {
        let g = deps::graph(&dir, None, &offline()).expect("graph of the copy");
        (
            by_name(&g, "util").1.cache_key.clone(),
            by_name(&g, "leaf").1.cache_key.clone(),
        )
    };
    let (util1, leaf1) = key();
    assert_eq!(key(), (util1.clone(), leaf1.clone()), "keys are stable");
    std::fs::write(
        dir.join("crates/util/src/nix.rs"),
        "pub fn nix() { let _ = 1; }\n",
    )
    .expect("edit");
    let (util2, leaf2) = key();
    assert_ne!(util1, util2);
    assert_eq!(leaf1, leaf2);
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn cache_round_trips_and_rejects_corrupt_entries() {
    let dir = temp_dir("cache");
    let cache = Cache::at(dir.join("nested"));
    assert_eq!(cache.get("k1"), None);
    cache.put("k1", b"summary bytes");
    cache.put("k2", b"");
    assert_eq!(cache.get("k1").as_deref(), Some(&b"summary bytes"[..]));
    assert_eq!(cache.get("k2").as_deref(), Some(&b""[..]));
    cache.put("k1", b"replaced");
    assert_eq!(cache.get("k1").as_deref(), Some(&b"replaced"[..]));
    // An odd key is still one entry inside the directory.
    cache.put("../escape", b"x");
    assert_eq!(cache.get("../escape").as_deref(), Some(&b"x"[..]));
    assert!(!dir.join("escape.pgc").exists());
    let entries: Vec<PathBuf> = std::fs::read_dir(cache.dir())
        .expect("cache dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(entries.len(), 3, "no temporary file left: {entries:?}");
    // Truncated: shorter than its header says.
    for e in &entries {
        let bytes = std::fs::read(e).expect("entry");
        std::fs::write(e, &bytes[..bytes.len() - 1]).expect("truncate");
    }
    assert_eq!(cache.get("k1"), None);
    assert_eq!(cache.get("../escape"), None);
    // Garbage.
    for e in &entries {
        std::fs::write(
            e,
            b"garbage that is long enough to hold a header, but is not one",
        )
        .expect("garbage");
    }
    assert_eq!(cache.get("k1"), None);
    assert_eq!(cache.get("k2"), None);
    // A flipped payload byte under an intact header.
    cache.put("k3", b"payload");
    let k3 = std::fs::read_dir(cache.dir())
        .expect("cache dir")
        .map(|e| e.expect("entry").path())
        .find(|p| !entries.contains(p))
        .expect("k3's entry");
    let mut bytes = std::fs::read(&k3).expect("entry");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&k3, &bytes).expect("flip");
    assert_eq!(cache.get("k3"), None);
    // Rebuilt by the caller.
    cache.put("k3", b"payload");
    assert_eq!(cache.get("k3").as_deref(), Some(&b"payload"[..]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cache_write_failures_do_not_fail() {
    let dir = temp_dir("readonly");
    // A file where the cache directory should be: every write fails.
    let blocked = dir.join("file");
    std::fs::write(&blocked, b"").expect("file");
    let cache = Cache::at(&blocked);
    cache.put("k", b"x");
    cache.put("k", b"x");
    assert_eq!(cache.get("k"), None);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hidden_progress_is_a_no_op() {
    let p = deps::Progress::new(3, false);
    p.crate_done("a", false, 10);
    p.crate_done("b", true, 0);
    p.finish();
    // Test output is not a terminal.
    assert!(!deps::progress_wanted(true));
}

/// Reads tokio from the registry cache with `full`: run by hand with
/// `cargo test -p cargo-pollguard --test deps -- --ignored --nocapture`.
#[test]
#[ignore = "needs tokio 1.x in the registry cache"]
fn reads_tokio_from_the_registry_cache() {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("cargo home");
    let mut found: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .expect("registry/src")
        .flatten()
        .flat_map(|index| {
            std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("tokio-1."))
        })
        .collect();
    found.sort();
    let dir = found.pop().expect("tokio-1.* in the registry cache");
    let features = [
        "default",
        "full",
        "fs",
        "io-util",
        "io-std",
        "macros",
        "net",
        "parking_lot",
        "process",
        "rt",
        "rt-multi-thread",
        "signal",
        "sync",
        "time",
        "bytes",
        "libc",
        "mio",
        "signal-hook-registry",
        "socket2",
        "tokio-macros",
    ];
    let dep = DepCrate {
        id: "tokio".into(),
        name: "tokio".into(),
        version: "1".into(),
        lib_name: "tokio".into(),
        root: dir.join("src/lib.rs"),
        edition: "2021".into(),
        features: features.iter().map(|f| (*f).to_owned()).collect(),
        links: None,
        categories: Vec::new(),
        keywords: Vec::new(),
        deps: Vec::new(),
        cache_key: String::new(),
        local: false,
    };
    let cfg = Cfg::host().expect("host cfg");
    let started = std::time::Instant::now();
    read(&dep, &cfg, |src| {
        let elapsed = started.elapsed();
        let bytes: usize = src.files.iter().map(|f| f.text_len).sum();
        let lines: usize = src
            .files
            .iter()
            .map(|f| std::fs::read_to_string(&f.path).map_or(0, |t| t.lines().count()))
            .sum();
        let all = count_rs(&dir.join("src"));
        eprintln!(
            "tokio {}: {} of {all} files, {lines} lines, {bytes} bytes, {} errors, {:.0} ms",
            dir.display(),
            src.files.len(),
            src.errors.len(),
            elapsed.as_secs_f64() * 1000.0
        );
        for e in &src.errors {
            eprintln!("  {e}");
        }
        assert!(src.errors.is_empty(), "{:?}", src.errors);
        assert!(
            src.files.len() > 200 && src.files.len() < all,
            "{} files",
            src.files.len()
        );
        let mods: HashSet<String> = module_paths(src).into_iter().collect();
        for m in [
            "crate::runtime",
            "crate::net::tcp",
            "crate::fs",
            "crate::sync::mpsc",
            "crate::time",
            "crate::process",
        ] {
            assert!(mods.contains(m), "{m} missing");
        }
        assert!(
            !src.files
                .iter()
                .any(|f| f.module_path.iter().any(|s| s == "windows")),
            "a windows module was read: {:?}",
            mods.iter()
                .filter(|m| m.contains("windows"))
                .collect::<Vec<_>>()
        );
        assert!(
            mods.contains("crate::loom::std") && !mods.contains("crate::loom::mocked"),
            "`cfg(loom)` is false"
        );
    });
}

fn count_rs(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                count_rs(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "rs"))
            }
        })
        .sum()
}

/// Builds the graph of this repository's workspace and reads every crate
/// in it: run by hand with
/// `cargo test --release -p cargo-pollguard --test deps -- --ignored --nocapture`.
#[test]
#[ignore = "needs this workspace's dependencies in the registry cache"]
fn reads_the_dependencies_of_this_workspace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let started = std::time::Instant::now();
    let g = deps::graph(&root, None, &offline()).expect("graph of the workspace");
    let graph_ms = started.elapsed().as_secs_f64() * 1000.0;
    let cfg = Cfg::host().expect("host cfg");
    let started = std::time::Instant::now();
    let (mut files, mut bytes, mut errors) = (0, 0, Vec::new());
    for c in &g.crates {
        let (f, b, e) = read(c, &cfg, |src| {
            (
                src.files.len(),
                src.files.iter().map(|f| f.text_len).sum::<usize>(),
                src.errors.clone(),
            )
        });
        files += f;
        bytes += b;
        errors.extend(e);
    }
    eprintln!(
        "{} crates ({} problems), graph {graph_ms:.0} ms; read {files} files, {bytes} bytes, {} errors, in {:.0} ms",
        g.crates.len(),
        g.problems.len(),
        errors.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    for e in errors.iter().take(20) {
        eprintln!("  {e}");
    }
    assert!(g.problems.is_empty(), "{:?}", g.problems);
}

/// Writes an app (in `dir/app`) that calls, from async code, a path
/// dependency outside its workspace (`dir/slow`) whose sync fn sleeps
/// behind one of its own helpers.
fn sleepy_app(dir: &Path) {
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nslow = { path = \"../slow\" }\n",
        ),
        (
            "app/src/lib.rs",
            "pub async fn handler() {\n    slow::settle();\n}\n",
        ),
        (
            "slow/Cargo.toml",
            "[package]\nname = \"slow\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "slow/src/lib.rs",
            "mod inner;\npub fn settle() {\n    inner::pause();\n}\n",
        ),
        (
            "slow/src/inner.rs",
            "pub(crate) fn pause() {\n    std::thread::sleep(std::time::Duration::from_millis(5));\n}\n",
        ),
    ];
    write_files(dir, &files);
}

/// Writes each `(path, text)` under `dir`, creating the folders.
fn write_files<T: AsRef<[u8]>>(dir: &Path, files: &[(&str, T)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, cache: &Path) -> Run {
    run_in_with(dir, cache, &[])
}

/// [`run_in`] with more environment variables.
fn run_in_with(dir: &Path, cache: &Path, env: &[(&str, &str)]) -> Run {
    let out = assert_cmd::Command::cargo_bin("cargo-pollguard")
        .expect("binary")
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("POLLGUARD_CACHE_DIR", cache)
        .args(["--deps", "--offline", "--format", "json"])
        .output()
        .expect("run");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("utf-8"),
        stderr: String::from_utf8(out.stderr).expect("utf-8"),
    }
}

/// Asserts that a run read its one dependency crate, `from_cache` times
/// from the cache.
fn assert_from_cache(run: &Run, from_cache: u8) {
    let want = format!("read 1 dependency crate(s), {from_cache} of them from the cache");
    assert!(run.stderr.contains(&want), "{}", run.stderr);
}

/// Writes the workspace's `Cargo.lock` without the network.
fn generate_lockfile(ws: &Path) {
    let locked = std::process::Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()))
        .args(["generate-lockfile", "--offline"])
        .current_dir(ws)
        .status()
        .expect("cargo");
    assert!(locked.success());
}

/// What a second run reads from the cache, it reports the same; an edited
/// dependency is read again; corrupt entries are rebuilt, never used.
#[test]
fn a_second_run_reads_dependencies_from_the_cache() {
    let dir = temp_dir("cached-run");
    let cache = dir.join("cache");
    sleepy_app(&dir);
    let ws = dir.join("app");

    let cold = run_in(&ws, &cache);
    assert_eq!(cold.code, Some(1), "{}", cold.stderr);
    assert_from_cache(&cold, 0);
    let finding: serde_json::Value =
        serde_json::from_str(cold.stdout.lines().next().expect("a finding")).expect("json");
    assert_eq!(finding["rule"], "PG101", "{}", cold.stdout);
    assert_eq!(finding["chain"].as_array().map(Vec::len), Some(2));
    // Steps inside the dependency name it, not a bare `crate::`.
    assert_eq!(
        finding["chain"][0]["caller"], "slow::settle",
        "{}",
        cold.stdout
    );
    assert_eq!(
        finding["chain"][0]["callee"], "slow::inner::pause",
        "{}",
        cold.stdout
    );
    let entries = || {
        std::fs::read_dir(&cache)
            .expect("cache dir")
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "pgc"))
            .map(|e| e.path())
            .collect::<Vec<_>>()
    };
    let crate_entries = entries()
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("deps-"))
        })
        .count();
    assert_eq!(crate_entries, 1, "one entry per dependency crate");
    let named = |prefix: &str| {
        entries()
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .count()
    };
    assert_eq!(
        (named("graph-"), named("view-"), named("viewbody-")),
        (1, 1, 1),
        "one for the graph, and a view of the resolved set"
    );
    // The models the workspace's walk asked for (`slow`'s), which the next
    // run builds ahead.
    assert_eq!(named("asked-"), 1);
    // `rustc`'s answers, when the compiler could be named without running
    // it (under `cargo test`, rustup names the toolchain).
    assert!(named("rustc-") <= 1);
    assert_eq!(entries().len(), 5 + named("rustc-"), "and nothing else");

    let warm = run_in(&ws, &cache);
    assert_from_cache(&warm, 1);
    assert_eq!((warm.code, &warm.stdout), (cold.code, &cold.stdout));

    // Corrupt entries read as absent: the crate is read again, same result.
    for e in entries() {
        let bytes = std::fs::read(&e).expect("entry");
        std::fs::write(&e, &bytes[..bytes.len() / 2]).expect("truncate");
    }
    let rebuilt = run_in(&ws, &cache);
    assert_from_cache(&rebuilt, 0);
    assert_eq!((rebuilt.code, &rebuilt.stdout), (cold.code, &cold.stdout));

    // An edited path dependency is a new entry: the sleep is gone.
    std::fs::write(dir.join("slow/src/inner.rs"), "pub(crate) fn pause() {}\n").expect("edit");
    let edited = run_in(&ws, &cache);
    assert_eq!(edited.code, Some(0), "{}\n{}", edited.stdout, edited.stderr);
    assert_from_cache(&edited, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A 2015-edition dependency whose syntax syn reads only once modernized
/// (an anonymous parameter, a bare `Fn` type) is read whole, silently: no
/// item was lost, so there is nothing to warn about.
#[test]
fn a_dependency_in_2015_syntax_is_read_without_a_warning() {
    let dir = temp_dir("old-syntax");
    let cache = dir.join("cache");
    sleepy_app(&dir);
    std::fs::write(
        dir.join("slow/Cargo.toml"),
        "[package]\nname = \"slow\"\nversion = \"0.1.0\"\nedition = \"2015\"\n",
    )
    .expect("manifest");
    std::fs::write(
        dir.join("slow/src/lib.rs"),
        "mod inner;\npub trait HashWord {\n    fn hash_word(&mut self, Self);\n}\npub type Hook = Box<Fn(u8) + Send>;\npub fn settle() {\n    inner::pause();\n}\n",
    )
    .expect("lib");
    let run = run_in(&dir.join("app"), &cache);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let finding: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().expect("a finding")).expect("json");
    assert_eq!(
        finding["chain"][0]["caller"], "slow::settle",
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("could not be read"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A call the catalog names is reported once, under its entry, when
/// reading the dependency finds another way down to a blocking root.
#[test]
fn a_call_the_catalog_names_is_reported_once() {
    let dir = temp_dir("catalog-once");
    let cache = dir.join("cache");
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nredis = { path = \"../redis\" }\n",
        ),
        (
            "app/src/lib.rs",
            "pub async fn purge() {\n    let client = redis::Client::open(\"redis://127.0.0.1/\").unwrap();\n    let _ = client.get_connection();\n}\n",
        ),
        (
            "redis/Cargo.toml",
            "[package]\nname = \"redis\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "redis/src/lib.rs",
            "pub struct Client;\npub struct Connection(std::net::TcpStream);\nimpl Client {\n    pub fn open(_url: &str) -> Result<Client, ()> {\n        Ok(Client)\n    }\n    pub fn get_connection(&self) -> std::io::Result<Connection> {\n        std::net::TcpStream::connect(\"127.0.0.1:6379\").map(Connection)\n    }\n}\n",
        ),
    ];
    write_files(&dir, &files);
    let run = run_in(&dir.join("app"), &cache);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let rules: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            format!("{}:{}", v["line"], v["rule"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(rules, ["3:PG221"], "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

/// With a lock file the graph itself comes from the cache; an edit to a
/// path dependency's sources (manifest and lock unchanged) still reads it
/// again, and the view of the dependencies built from it is not reused.
#[test]
fn an_edited_path_dependency_is_read_again_under_a_cached_graph() {
    let dir = temp_dir("edited-under-lock");
    let cache = dir.join("cache");
    sleepy_app(&dir);
    let ws = dir.join("app");
    generate_lockfile(&ws);
    let cold = run_in(&ws, &cache);
    assert_eq!(cold.code, Some(1), "{}", cold.stderr);
    let warm = run_in_with(&ws, &cache, &[("POLLGUARD_TIMINGS", "1")]);
    assert_eq!((warm.code, &warm.stdout), (cold.code, &cold.stdout));
    assert_from_cache(&warm, 1);
    // Under rustup, with `rustc`'s answers kept, the view was found while
    // the workspace was being read.
    if std::env::var_os("RUSTUP_TOOLCHAIN").is_some() && std::env::var_os("RUSTC").is_none() {
        assert!(
            warm.stderr.contains("deps: view found early"),
            "{}",
            warm.stderr
        );
    }
    std::fs::write(dir.join("slow/src/inner.rs"), "pub(crate) fn pause() {}\n").expect("edit");
    let edited = run_in(&ws, &cache);
    assert_eq!(edited.code, Some(0), "{}\n{}", edited.stdout, edited.stderr);
    assert_from_cache(&edited, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The view of the dependencies (their closure and items, one per resolved
/// set) is reused across edits of the workspace's own code, rebuilt when
/// the graph changes (here a path dependency's manifest, its sources
/// untouched), and a corrupt body gives the same report, never a panic.
#[test]
fn the_view_of_the_dependencies_follows_the_graph() {
    let dir = temp_dir("view");
    let cache = dir.join("cache");
    sleepy_app(&dir);
    let ws = dir.join("app");
    generate_lockfile(&ws);
    let files = |prefix: &str| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&cache)
            .expect("cache dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        v.sort();
        v
    };
    let cold = run_in(&ws, &cache);
    assert_eq!(cold.code, Some(1), "{}", cold.stderr);
    let views = files("view-");
    assert_eq!(views.len(), 1);
    let warm = run_in(&ws, &cache);
    assert_eq!((warm.code, &warm.stdout), (cold.code, &cold.stdout));
    assert_eq!(files("view-"), views, "reused");

    // A body whose bytes changed (length kept): each section read fails
    // its hash, the models and fns come from elsewhere, the report is the same.
    for body in files("viewbody-") {
        let mut bytes = std::fs::read(&body).expect("body");
        let n = bytes.len();
        for b in &mut bytes[n / 2..] {
            *b ^= 0x5a;
        }
        std::fs::write(&body, bytes).expect("corrupt");
    }
    let corrupt = run_in(&ws, &cache);
    assert_eq!((corrupt.code, &corrupt.stdout), (cold.code, &cold.stdout));

    // The workspace's own code changes: the view still holds.
    let lib = ws.join("src/lib.rs");
    std::fs::write(
        &lib,
        "pub async fn handler() {}\npub fn unused() { slow::settle(); }\n",
    )
    .expect("edit");
    let own_edit = run_in(&ws, &cache);
    assert_eq!(own_edit.code, Some(0), "{}", own_edit.stdout);
    assert_eq!(files("view-"), views, "reused across the workspace's edits");
    std::fs::write(&lib, "pub async fn handler() {\n    slow::settle();\n}\n").expect("edit");

    // The dependency's manifest changes, its sources do not: a new view.
    let manifest = dir.join("slow/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(&manifest, format!("{text}categories = [\"database\"]\n")).expect("edit");
    let edited = run_in(&ws, &cache);
    assert_eq!(edited.code, Some(1), "{}", edited.stderr);
    assert_eq!(files("view-").len(), 2, "a view of the changed graph");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A workspace that defines what a dependency calls unresolved
/// (`std::borrow::Cow::from`, through its own `impl From<Note> for Cow`
/// that sleeps): a warm run agrees with a run without a cache, before and
/// after the impl stops blocking and once it blocks again. (The rule the
/// view follows for such keys is tested in `depview`'s unit tests.)
#[test]
fn a_dependency_lookup_the_workspace_answers_is_followed_warm() {
    let dir = temp_dir("ws-answers");
    let cache = dir.join("cache");
    let blocking = "pub struct Note;\n\
         impl From<Note> for std::borrow::Cow<'static, str> {\n    \
         fn from(_: Note) -> Self {\n        \
         std::thread::sleep(std::time::Duration::from_millis(5));\n        \
         std::borrow::Cow::Borrowed(\"n\")\n    }\n}\n\
         pub async fn handler() {\n    lib::label();\n}\n";
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nlib = { path = \"../lib\" }\n",
        ),
        ("app/src/lib.rs", blocking),
        (
            "lib/Cargo.toml",
            "[package]\nname = \"lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "lib/src/lib.rs",
            "pub fn label() {\n    let _ = std::borrow::Cow::from(\"x\");\n}\n",
        ),
    ];
    write_files(&dir, &files);
    let ws = dir.join("app");
    let cold = run_in(&ws, &cache);
    let warm = run_in(&ws, &cache);
    assert_eq!((warm.code, &warm.stdout), (cold.code, &cold.stdout));
    // Whether the engine follows this call at all is its business; a warm
    // run must agree with a run without any cache, in both states.
    let fresh = |name: &str| run_in(&ws, &dir.join(name));
    assert_eq!(fresh("other").stdout, warm.stdout);
    let quiet = blocking.replace(
        "std::thread::sleep(std::time::Duration::from_millis(5));",
        "let _ = 1;",
    );
    std::fs::write(ws.join("src/lib.rs"), &quiet).expect("edit");
    let edited = run_in(&ws, &cache);
    assert_eq!(edited.stdout, fresh("other2").stdout);
    std::fs::write(ws.join("src/lib.rs"), blocking).expect("edit");
    let back = run_in(&ws, &cache);
    assert_eq!((back.code, &back.stdout), (cold.code, &cold.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Entries unused for longer than the age given go; a read keeps one.
#[test]
fn prune_removes_what_no_run_used_lately() {
    let dir = temp_dir("prune");
    let cache = Cache::at(&dir);
    cache.put("used", b"a");
    cache.put("stale", b"b");
    let month_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 24 * 3600);
    for e in std::fs::read_dir(&dir).expect("dir").flatten() {
        let f = std::fs::File::options()
            .append(true)
            .open(e.path())
            .expect("open");
        f.set_modified(month_ago).expect("backdate");
    }
    // A foreign file in the directory is not ours to remove.
    std::fs::write(dir.join("notes.txt"), b"mine").expect("write");
    assert_eq!(cache.get("used").as_deref(), Some(&b"a"[..]));
    cache.prune(std::time::Duration::from_secs(30 * 24 * 3600));
    assert_eq!(cache.get("used").as_deref(), Some(&b"a"[..]));
    assert_eq!(cache.get("stale"), None);
    assert!(dir.join("notes.txt").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--write-facts` leaves what reading dependencies found for the
/// attribute, which then reports the same calls at compile time; the file
/// is an input of the build, and a broken one is named in the error.
#[test]
fn the_attribute_reports_what_write_facts_found() {
    let dir = temp_dir("facts");
    sleepy_app(&dir);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf();
    let app = dir.join("app");
    std::fs::write(
        app.join("Cargo.toml"),
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nslow = {{ path = \"../slow\" }}\npollguard = {{ path = {:?}, default-features = false }}\n",
            repo.display().to_string()
        ),
    )
    .expect("manifest");
    std::fs::write(
        app.join("src/lib.rs"),
        "#[pollguard::no_blocking]\npub async fn handler() {\n    slow::settle();\n}\n\
         pub async fn later() {\n    helper();\n}\nfn helper() {\n    slow::nap();\n}\n",
    )
    .expect("lib.rs");
    // A dependency fn the workspace calls only from a sync helper is a
    // fact too: the attribute on the helper's async caller needs it.
    std::fs::write(
        dir.join("slow/src/lib.rs"),
        "mod inner;\npub fn settle() {\n    inner::pause();\n}\npub fn nap() {\n    inner::pause();\n}\n",
    )
    .expect("slow/lib.rs");

    // Without `--deps` there is nothing to write.
    let refused = assert_cmd::Command::cargo_bin("cargo-pollguard")
        .expect("binary")
        .current_dir(&app)
        .arg("--write-facts")
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(
            "`--write-facts` writes what reading the dependencies finds: pass `--deps` too"
        ),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    let written = assert_cmd::Command::cargo_bin("cargo-pollguard")
        .expect("binary")
        .current_dir(&app)
        .env("POLLGUARD_CACHE_DIR", dir.join("cache"))
        .args(["--deps", "--offline", "--quiet", "--write-facts"])
        .output()
        .expect("run");
    assert_eq!(
        written.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let facts = std::fs::read_to_string(app.join("pollguard-facts.txt")).expect("facts file");
    let lines: Vec<&str> = facts.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "slow::nap\tPG101\t`std::thread::sleep` at slow-0.1.0/src/inner.rs:2",
            "slow::settle\tPG101\t`std::thread::sleep` at slow-0.1.0/src/inner.rs:2"
        ]
    );

    let check = || {
        let out =
            std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .current_dir(&app)
                .env(
                    "CARGO_TARGET_DIR",
                    Path::new(env!("CARGO_TARGET_TMPDIR")).join("facts-target"),
                )
                .env_remove("POLLGUARD_FACTS")
                .args(["check", "--offline", "--quiet", "--message-format", "short"])
                .output()
                .expect("cargo check");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, stderr) = check();
    assert!(!ok, "the attribute reports the call: {stderr}");
    assert!(
        stderr.contains("src/lib.rs:3:5: error: `slow::settle` blocks the executor thread (pollguard::sleep, PG101)"),
        "{stderr}"
    );

    // A broken file is named, with its line.
    std::fs::write(app.join("pollguard-facts.txt"), "slow::settle PG101\n").expect("break");
    let (ok, stderr) = check();
    assert!(!ok);
    assert!(
        stderr.contains("pollguard cannot use its facts file: `")
            && stderr.contains(
                "pollguard-facts.txt`, line 1: expected `path<TAB>rule<TAB>what it reaches`"
            ),
        "{stderr}"
    );

    // Without the file, the crate builds: nothing else forbids the call.
    std::fs::remove_file(app.join("pollguard-facts.txt")).expect("remove");
    let (ok, stderr) = check();
    assert!(ok, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The graph comes from the cache while the lock file and the local
/// manifests are unchanged, and is resolved again as soon as one changes.
#[test]
fn the_graph_is_cached_until_a_manifest_changes() {
    let dir = temp_dir("graph-cache");
    copy_tree(&fixture(), &dir);
    let cache = Cache::at(dir.join("cache"));
    let names_of = |g: &DepGraph| {
        let mut n: Vec<String> = names(g).into_iter().map(str::to_owned).collect();
        n.sort_unstable();
        n
    };
    let first = deps::graph_cached(&dir, None, &offline(), Some(&cache)).expect("graph");
    assert_eq!(names_of(&first), ["bar-baz", "devonly", "leaf", "util"]);
    let stored = std::fs::read_dir(cache.dir())
        .expect("cache dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("graph-"))
        .count();
    assert_eq!(stored, 1, "the graph is stored");
    let again = deps::graph_cached(&dir, None, &offline(), Some(&cache)).expect("graph");
    assert_eq!(again.crates, first.crates);
    assert_eq!(again.roots, first.roots);

    // A member drops a dependency: resolved again, not served stale.
    let manifest = dir.join("app/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(
        &manifest,
        text.replace("devonly = { path = \"../crates/devonly\" }", ""),
    )
    .expect("edit");
    let edited = deps::graph_cached(&dir, None, &offline(), Some(&cache)).expect("graph");
    assert_eq!(names_of(&edited), ["bar-baz", "leaf", "util"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A client library in the shape of suppaftp's: the public type is an alias
/// of a generic one, results are a `Result<T>` alias, a guard hands out a
/// buffered reader over the crate's own stream enum, and the socket I/O
/// happens in that enum's `Read`/`Write` impls, reached through
/// `read_line` and `write_all`.
#[test]
fn a_library_blocks_through_its_own_stream_type() {
    let dir = temp_dir("own-stream");
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nftp = { path = \"../ftp\" }\n",
        ),
        (
            "app/src/lib.rs",
            "pub async fn open() -> ftp::Result<ftp::Client> {\n    ftp::Client::connect(\"files:21\")\n}\n\
             pub async fn session(c: &ftp::Client) -> ftp::Result<()> {\n    c.login(\"me\")?;\n    let _ = c.name();\n    Ok(())\n}\n",
        ),
        (
            "ftp/Cargo.toml",
            "[package]\nname = \"ftp\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "ftp/src/lib.rs",
            r#"mod data;
use std::io::{BufRead, BufReader, Write};
use std::sync::{Mutex, MutexGuard};

pub struct Plain;
pub type Result<T> = std::result::Result<T, std::io::Error>;
pub type Client = ImplClient<Plain>;

pub struct ImplClient<T> {
    reader: Mutex<BufReader<data::DataStream<T>>>,
}

impl<T> ImplClient<T> {
    pub fn connect(addr: &str) -> Result<Self> {
        let tcp = std::net::TcpStream::connect(addr)?;
        let reader = Mutex::new(BufReader::new(data::DataStream::Tcp(tcp)));
        Ok(Self { reader })
    }

    fn control(&self) -> MutexGuard<'_, BufReader<data::DataStream<T>>> {
        self.reader.lock().unwrap()
    }

    pub fn login(&self, user: &str) -> Result<()> {
        let mut cc = self.control();
        cc.get_mut().write_all(user.as_bytes())?;
        let mut line = String::new();
        cc.read_line(&mut line)?;
        Ok(())
    }

    pub fn name(&self) -> &'static str {
        "ftp"
    }
}
"#,
        ),
        (
            "ftp/src/data.rs",
            r#"use std::io::{Read, Write};

pub enum DataStream<T> {
    Tcp(std::net::TcpStream),
    Other(Box<T>),
}

impl<T> Read for DataStream<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            DataStream::Tcp(s) => s.read(buf),
            DataStream::Other(_) => Ok(0),
        }
    }
}

impl<T> Write for DataStream<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            DataStream::Tcp(s) => s.write(buf),
            DataStream::Other(_) => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
"#,
        ),
    ];
    write_files(&dir, &files);
    let run = run_in(&dir.join("app"), &dir.join("cache"));
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let found: Vec<(u64, String)> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (
                v["line"].as_u64().expect("line"),
                v["rule"].as_str().expect("rule").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(2, "PG121".to_owned()), (5, "PG122".to_owned())],
        "{}",
        run.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A sender whose channels the workspace only makes with `unbounded` never
/// waits for room, wherever it is passed; one bounded constructor of the
/// same type brings its sends back.
#[test]
fn senders_of_unbounded_channels_do_not_wait() {
    let dir = temp_dir("unbounded-sender");
    let lib = r#"use std::collections::VecDeque;
use std::sync::Mutex;

pub struct Sender<T> {
    queue: Mutex<VecDeque<T>>,
    capacity: usize,
}
pub struct Receiver<T>(Vec<T>);

pub fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    make(usize::MAX)
}

pub fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    make(capacity)
}

fn make<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let queue = Mutex::new(VecDeque::new());
    (Sender { queue, capacity }, Receiver(Vec::new()))
}

impl<T> Sender<T> {
    pub fn send(&self, value: T) {
        let mut q = self.queue.lock().unwrap();
        if q.len() < self.capacity {
            q.push_back(value);
        } else {
            drop(q);
            std::thread::park();
        }
    }
}
"#;
    let app = |extra: &str| {
        format!(
            "pub async fn run() {{\n    let (tx, _rx) = chan::unbounded::<u8>();\n    report(&tx).await;\n}}\n\
             async fn report(tx: &chan::Sender<u8>) {{\n    tx.send(1);\n}}\n{extra}"
        )
    };
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nchan = { path = \"../chan\" }\n".to_owned(),
        ),
        ("app/src/lib.rs", app("")),
        (
            "chan/Cargo.toml",
            "[package]\nname = \"chan\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".to_owned(),
        ),
        ("chan/src/lib.rs", lib.to_owned()),
    ];
    write_files(&dir, &files);
    let cache = dir.join("cache");
    let run = run_in(&dir.join("app"), &cache);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stdout, "");

    std::fs::write(
        dir.join("app/src/lib.rs"),
        app("pub fn small() -> chan::Receiver<u8> {\n    let (_tx, rx) = chan::bounded(1);\n    rx\n}\n"),
    )
    .expect("write");
    let run = run_in(&dir.join("app"), &cache);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    let v: serde_json::Value =
        serde_json::from_str(run.stdout.lines().next().expect("a finding")).expect("json");
    assert_eq!(v["line"], 6, "{}", run.stdout);
    assert_eq!(v["call"], "chan::Sender::send", "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dependency whose methods are written with its own `macro_rules!`
/// (defined in another file, under `#[macro_use]`, as trust-dns-resolver's
/// `lookup_fn!` is): the methods the macro makes are read, and a call of
/// one that blocks is reported; one that does not block is not. A macro
/// invoked at module level is left unexpanded (see `expand`).
#[test]
fn a_dependency_api_written_with_its_own_macro_is_read() {
    let dir = temp_dir("macro-api");
    let cache = dir.join("cache");
    let files = [
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nresolver = { path = \"../resolver\" }\n",
        ),
        (
            "app/src/lib.rs",
            "pub async fn handler(r: resolver::Resolver) {\n    let _ = r.mx_lookup(\"example.org\");\n    let _ = r.cached_count(1);\n    resolver::flush_all();\n}\n",
        ),
        (
            "resolver/Cargo.toml",
            "[package]\nname = \"resolver\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        ),
        (
            "resolver/src/macros.rs",
            "macro_rules! lookup_fn {\n    ($p:ident, $t:ty) => {\n        pub fn $p(&self, query: &str) -> std::io::Result<$t> {\n            self.wait(query)\n        }\n    };\n    (cached $p:ident, $t:ty) => {\n        pub fn $p(&self, n: $t) -> $t {\n            n\n        }\n    };\n}\nmacro_rules! free_fns {\n    ($($name:ident => $secs:literal),* $(,)?) => {\n        $( pub fn $name() { std::thread::sleep(std::time::Duration::from_secs($secs)); } )*\n    };\n}\n",
        ),
        (
            "resolver/src/lib.rs",
            "#[macro_use]\nmod macros;\npub struct Resolver;\nimpl Resolver {\n    fn wait(&self, _q: &str) -> std::io::Result<u8> {\n        std::net::TcpStream::connect(\"10.0.0.1:53\").map(|_| 0)\n    }\n    lookup_fn!(mx_lookup, u8);\n    lookup_fn!(cached cached_count, u8);\n}\nfree_fns!(flush_all => 1, settle => 2,);\n",
        ),
    ];
    write_files(&dir, &files);
    let run = run_in(&dir.join("app"), &cache);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let mut lines: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            format!("{}:{}", v["line"], v["category"].as_str().unwrap_or(""))
        })
        .collect();
    lines.sort();
    assert_eq!(lines, ["2:net"], "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
