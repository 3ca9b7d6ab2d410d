//! Differential test of the items-only parser against `syn::parse_file` on
//! the real crates of the local cargo registry.

use pollguard_analysis::shallow::parse_items;
use quote::ToTokens;
use std::path::{Path, PathBuf};
use std::time::Instant;
use syn::visit_mut::VisitMut;

/// Brings a full parse to what `parse_items` promises: bodies emptied (or
/// not) and `const`/`static` initializers as verbatim tokens. It stops at
/// fn bodies and expressions on purpose: fns nested in expressions are out
/// of `parse_items`'s scope.
struct Hollow {
    empty_bodies: bool,
}

impl VisitMut for Hollow {
    fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
        if self.empty_bodies {
            item.block.stmts.clear();
        }
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        if self.empty_bodies {
            item.block.stmts.clear();
        }
    }

    fn visit_trait_item_fn_mut(&mut self, item: &mut syn::TraitItemFn) {
        if let (true, Some(block)) = (self.empty_bodies, &mut item.default) {
            block.stmts.clear();
        }
    }

    fn visit_item_const_mut(&mut self, item: &mut syn::ItemConst) {
        *item.expr = verbatim(&item.expr);
    }

    fn visit_item_static_mut(&mut self, item: &mut syn::ItemStatic) {
        *item.expr = verbatim(&item.expr);
    }

    fn visit_impl_item_const_mut(&mut self, item: &mut syn::ImplItemConst) {
        item.expr = verbatim(&item.expr);
    }

    fn visit_expr_mut(&mut self, _: &mut syn::Expr) {}
}

/// Token text with one space between tokens, whatever their `Spacing`: syn
/// prints `::<` as `:: <` while the lexer keeps it joint, and the verbatim
/// initializers are the lexer's tokens.
fn flat(tokens: proc_macro2::TokenStream, out: &mut String) {
    use proc_macro2::{Delimiter, TokenTree};
    for tt in tokens {
        match tt {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("<none>", "</none>"),
                };
                out.push_str(open);
                out.push(' ');
                flat(group.stream(), out);
                out.push_str(close);
            }
            TokenTree::Punct(punct) => out.push(punct.as_char()),
            TokenTree::Ident(ident) => out.push_str(&ident.to_string()),
            TokenTree::Literal(lit) => out.push_str(&lit.to_string()),
        }
        out.push(' ');
    }
}

fn flat_string(file: &syn::File) -> String {
    let mut out = String::new();
    flat(file.to_token_stream(), &mut out);
    out
}

fn verbatim(expr: &syn::Expr) -> syn::Expr {
    syn::Expr::Verbatim(expr.to_token_stream())
}

fn registry_sources() -> Option<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    let src = cargo_home.join("registry").join("src");
    src.is_dir().then_some(src)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_rs(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The crates this project cares most about are compared in full; the rest
/// of the registry is sampled (every `STRIDE`th file, small files only) to
/// keep a debug run near a minute.
const PRIORITY: [&str; 4] = ["tokio-1.", "syn-2.", "serde-1.", "hyper-"];
const STRIDE: usize = 9;
const MAX_SAMPLED_LEN: u64 = 100_000;

fn sample(src: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    collect_rs(src, &mut all);
    all.sort();
    all.into_iter()
        .enumerate()
        .filter(|(index, path)| {
            let krate = path
                .strip_prefix(src)
                .ok()
                .and_then(|rel| rel.components().nth(1))
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .unwrap_or_default();
            if PRIORITY.iter().any(|p| krate.starts_with(p)) {
                return true;
            }
            index % STRIDE == 0 && std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_SAMPLED_LEN)
        })
        .map(|(_, path)| path)
        .collect()
}

#[test]
fn items_only_parse_matches_syn_on_the_registry() {
    let Some(src) = registry_sources() else {
        eprintln!("no cargo registry sources; skipped");
        return;
    };
    let started = Instant::now();
    let files = sample(&src);
    let (mut compared, mut syn_errors, mut accepted_anyway) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(full) = syn::parse_file(&text) else {
            syn_errors += 1;
            // Only errors in bodies or initializers may be missed.
            if parse_items(&text, &|_| false).is_ok() {
                accepted_anyway += 1;
            }
            continue;
        };
        compared += 1;
        for empty_bodies in [true, false] {
            let mut expected = full.clone();
            Hollow { empty_bodies }.visit_file_mut(&mut expected);
            let keep = !empty_bodies;
            match parse_items(&text, &|_| keep) {
                Err(err) => {
                    failures.push(format!("{} (keep={keep}): rejected: {err}", path.display()))
                }
                Ok(got) => {
                    let expected_tokens = flat_string(&expected);
                    let got_tokens = flat_string(&got);
                    if got_tokens != expected_tokens || got.shebang != expected.shebang {
                        let at = expected_tokens
                            .bytes()
                            .zip(got_tokens.bytes())
                            .position(|(a, b)| a != b)
                            .unwrap_or(expected_tokens.len().min(got_tokens.len()));
                        let from = at.saturating_sub(80);
                        failures.push(format!(
                            "{} (keep={keep}): differs at byte {at}:\n  syn:     {}\n  shallow: {}",
                            path.display(),
                            expected_tokens
                                .get(from..(at + 80).min(expected_tokens.len()))
                                .unwrap_or(""),
                            got_tokens
                                .get(from..(at + 80).min(got_tokens.len()))
                                .unwrap_or(""),
                        ));
                    }
                }
            }
        }
    }
    eprintln!(
        "compared {compared} files ({} sampled, {syn_errors} rejected by syn, {accepted_anyway} of those accepted by parse_items) in {:.1?}",
        files.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        compared >= files.len().min(2_000) * 9 / 10,
        "too few files compared: {compared} of {}",
        files.len()
    );
}
