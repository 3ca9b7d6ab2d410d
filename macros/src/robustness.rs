//! The expansion over real code: every `async fn`, `impl` and inline `mod`
//! of the crates in the local Cargo registry cache goes through
//! `#[no_blocking]` and `#[no_blocking(warn)]`. A proc macro that panics is
//! an internal compiler error for its user, so none may; and what it emits
//! must still parse as Rust, so the user's own errors stay readable.

use crate::expand;
use proc_macro2::TokenStream;
use quote::ToTokens;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn registry_sources() -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    let mut out = Vec::new();
    let Ok(indexes) = std::fs::read_dir(home.join("registry/src")) else {
        return out;
    };
    for index in indexes.flatten() {
        let Ok(crates) = std::fs::read_dir(index.path()) else {
            continue;
        };
        let mut crates: Vec<PathBuf> = crates.flatten().map(|c| c.path().join("src")).collect();
        crates.sort();
        for dir in crates {
            collect(&dir, &mut out);
        }
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Items the attribute may be put on, at any depth of inline modules.
fn targets(items: &[syn::Item], out: &mut Vec<TokenStream>) {
    for item in items {
        match item {
            syn::Item::Fn(f) if f.sig.asyncness.is_some() => out.push(f.to_token_stream()),
            syn::Item::Impl(_) => out.push(item.to_token_stream()),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    out.push(item.to_token_stream());
                    targets(inner, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn never_panics_and_always_emits_rust_on_real_code() {
    let files = registry_sources();
    if files.is_empty() {
        eprintln!("note: no crates in the Cargo registry cache; nothing to expand");
        return;
    }
    // Bounded so that a slow machine still finishes; the count is printed.
    let budget = Duration::from_secs(30);
    let started = Instant::now();
    let (mut expanded, mut read) = (0usize, 0usize);
    let args: [TokenStream; 2] = [TokenStream::new(), "warn".parse().expect("valid tokens")];
    for path in &files {
        if started.elapsed() > budget {
            break;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(file) = syn::parse_file(&text) else {
            continue;
        };
        read += 1;
        let mut items = Vec::new();
        targets(&file.items, &mut items);
        for item in items {
            for a in &args {
                let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    expand::no_blocking(a.clone(), item.clone())
                }));
                let out = out.unwrap_or_else(|_| {
                    panic!(
                        "`#[no_blocking({a})]` panicked on an item of {}",
                        path.display()
                    )
                });
                assert!(
                    syn::parse2::<syn::File>(out.clone()).is_ok(),
                    "the expansion of an item of {} does not parse:\n{out}",
                    path.display()
                );
                expanded += 1;
            }
        }
    }
    eprintln!(
        "expanded {expanded} items of {read} files in {:.1?}",
        started.elapsed()
    );
}
