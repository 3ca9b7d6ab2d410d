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

/// The crates this project cares most about are compared in full, in their
/// newest version on the machine; the rest of the registry is sampled (small
/// files only, at most `SAMPLED` of them, evenly spread) to keep a debug run
/// near a minute however much the machine's registry holds.
const PRIORITY: [&str; 4] = ["tokio-1.", "syn-2.", "serde-1.", "hyper-1."];
const SAMPLED: usize = 3_000;
const MAX_SAMPLED_LEN: u64 = 100_000;

fn sample(src: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    collect_rs(src, &mut all);
    all.sort();
    let krate = |path: &Path| {
        path.strip_prefix(src)
            .ok()
            .and_then(|rel| rel.components().nth(1))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    // The newest directory of each priority crate (`tokio-1.54.1`).
    let mut newest: Vec<String> = Vec::new();
    for prefix in PRIORITY {
        let best = all
            .iter()
            .map(|p| krate(p))
            .filter(|k| k.starts_with(prefix))
            .max_by_key(|k| version_key(&k[prefix.len()..]));
        newest.extend(best);
    }
    let (mut out, rest): (Vec<PathBuf>, Vec<PathBuf>) = all
        .into_iter()
        .partition(|path| newest.contains(&krate(path)));
    let rest: Vec<PathBuf> = rest
        .into_iter()
        .filter(|path| !PRIORITY.iter().any(|p| krate(path).starts_with(p)))
        .collect();
    let stride = rest.len().div_ceil(SAMPLED).max(1);
    out.extend(
        rest.into_iter()
            .step_by(stride)
            .filter(|path| std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_SAMPLED_LEN)),
    );
    out
}

/// `54.1` -> [54, 1], so that versions compare as numbers.
fn version_key(rest: &str) -> Vec<u64> {
    rest.split(['.', '-', '+'])
        .map(|part| part.parse().unwrap_or(0))
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

/// `parse_items` agrees with `syn::parse_file` on `text`: same success, and
/// the same tree once bodies are emptied (or, with `keep`, as is).
fn check(text: &str) {
    let full = syn::parse_file(text);
    for keep in [false, true] {
        let got = parse_items(text, &|_| keep);
        match (&full, got) {
            (Ok(full), Ok(got)) => {
                let mut expected = full.clone();
                Hollow {
                    empty_bodies: !keep,
                }
                .visit_file_mut(&mut expected);
                assert_eq!(
                    flat_string(&got),
                    flat_string(&expected),
                    "keep={keep}: {text}"
                );
                assert_eq!(got.shebang, expected.shebang, "{text}");
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(err)) => panic!("keep={keep}: rejected: {err}: {text}"),
            // Only errors inside skipped bodies may go unnoticed.
            (Err(err), Ok(_)) => assert!(!keep, "keep=true: accepted ({err}): {text}"),
        }
    }
}

fn body_len(item: &syn::Item) -> Option<usize> {
    match item {
        syn::Item::Fn(f) => Some(f.block.stmts.len()),
        _ => None,
    }
}

#[test]
fn fn_qualifiers_and_signatures() {
    let text = r#"
        const fn a() -> u8 { 1 }
        const unsafe fn b() { x(); }
        async fn c() { y().await; }
        async unsafe fn d() { z(); }
        unsafe extern "C" fn e(x: i32, ...) -> i32 { x }
        extern "C" fn f() { g(); }
        extern fn f2() { g(); }
        pub(crate) fn h<T: Clone>(t: T) -> T where T: Copy, { t }
        fn i<const N: usize>() -> Foo<{ N }> { todo!() }
        fn j() -> impl Fn() -> u8 { || 1 }
        fn k<'a>(x: &'a str) -> Box<dyn Fn(u8) -> Vec<u8> + 'a> where for<'b> &'b u8: Sized { Box::new(|_| vec![]) }
        fn no_body();
        #[cfg(x)] /// doc
        pub fn l() { #![allow(unused)] let x = 1; }
    "#;
    check(text);
    let file = parse_items(text, &|_| false).unwrap();
    assert!(file.items.iter().filter_map(body_len).all(|len| len == 0));
    assert!(matches!(file.items[11], syn::Item::Verbatim(_)));
    // The body's inner attribute is the fn's, as in syn.
    let syn::Item::Fn(l) = &file.items[12] else {
        panic!("not a fn")
    };
    assert_eq!(l.attrs.len(), 3);
    assert!(matches!(l.attrs[2].style, syn::AttrStyle::Inner(_)));
}

#[test]
fn impl_headers() {
    check(
        r#"
        impl<T> !Send for X<T> {}
        unsafe impl<T: Send> Send for X<T> { }
        default impl<T> Foo for T { default fn f(&self) { a(); } }
        impl<T> Foo for T where T: Bar { fn f(&self) -> u8 { 1 } type A = u8; const C: u8 = 2; m!(); }
        impl <T>::Assoc { fn f() {} }
        impl const Trait for X { fn f() { a(); } }
        impl Trait for fn(u8) -> u8 { fn f() { b(); } }
        impl Foo<{ 1 + 1 }> { fn f() { c(); } }
        impl X { fn missing(); pub(crate) async fn g(self: Box<Self>) { d().await } }
        impl X { #![allow(dead_code)] const unsafe fn h() {} }
        "#,
    );
    // A verbatim impl keeps its bodies' tokens.
    let file = parse_items("impl const Trait for X { fn f() { a(); } }", &|_| false).unwrap();
    let syn::Item::Verbatim(tokens) = &file.items[0] else {
        panic!("not verbatim")
    };
    assert!(tokens.to_string().contains("a ()"));
}

#[test]
fn traits() {
    check(
        r#"
        pub trait T: Clone + 'static where Self: Sized {
            const C: u8;
            const D: u8 = 1;
            type A: Iterator<Item = u8>;
            fn required(&self);
            fn provided(&self) -> u8 { self.required(); 1 }
            async fn a() { b().await }
            unsafe fn u() {}
            m!();
        }
        unsafe auto trait Auto {}
        unsafe trait U { extern "C" fn e() { f() } }
        trait Alias = Clone + Send;
        trait Gen<T> = Fn(T) -> T;
        "#,
    );
}

#[test]
fn modules_consts_statics_and_the_rest() {
    check(
        r#"
        #![allow(unused)]
        //! Crate docs.
        mod a { fn f() { g(); } pub mod b { #![allow(x)] impl X { fn h() { i(); } } } }
        mod c;
        pub(in crate::a) unsafe mod d {}
        const X: u8 = { fn g() -> u8 { 1 } g() };
        const _: () = ();
        const G<T>: u8 = 1;
        const W: u8 = 1 where u8: Copy;
        static mut S: u8 = 0;
        static F: fn() -> u8 = || { 1 };
        pub static L: Lazy<u8> = Lazy::new(|| { let x = 1; x });
        type F2 = fn() -> u8;
        type I = impl Fn() -> u8;
        struct S1 { f: fn() -> u8, g: [u8; { 3 }] }
        struct S2(fn(u8));
        enum E { A = { fn z() -> isize { 1 } z() }, B }
        union U { a: u8 }
        macro_rules! m { () => { fn x() {} } }
        m! { fn y() { body } }
        extern crate core;
        extern "C" { fn ext(); static E: u8; }
        use std::{fmt, io::{self, Read as _}};
        "#,
    );
}

#[test]
fn shebang_bom_and_inner_attributes() {
    check("#!/usr/bin/env run-cargo-script\nfn main() { x(); }\n");
    check("#![allow(unused)]\nfn main() {}\n");
    check("#! /* comment */ [allow(unused)]\nfn main() {}\n");
    check("#!/no/newline");
    check("\u{feff}fn main() { x(); }");
    let file = parse_items("#!/usr/bin/env x\nfn main() {}", &|_| false).unwrap();
    assert_eq!(file.shebang.as_deref(), Some("#!/usr/bin/env x"));
}

#[test]
fn keep_body_chooses_the_bodies() {
    let text = "fn a() { std::thread::sleep(d); } fn b() { other(); } \
                impl X { fn c(&self) { sleep(d); } } trait T { fn d() { sleep(d); } }";
    let wants_sleep = |body: &proc_macro2::TokenStream| body.to_string().contains("sleep");
    let file = parse_items(text, &wants_sleep).unwrap();
    assert_eq!(body_len(&file.items[0]), Some(1));
    assert_eq!(body_len(&file.items[1]), Some(0));
    let syn::Item::Impl(imp) = &file.items[2] else {
        panic!("not an impl")
    };
    let syn::ImplItem::Fn(c) = &imp.items[0] else {
        panic!("not a fn")
    };
    assert_eq!(c.block.stmts.len(), 1);
    let syn::Item::Trait(t) = &file.items[3] else {
        panic!("not a trait")
    };
    let syn::TraitItem::Fn(d) = &t.items[0] else {
        panic!("not a fn")
    };
    assert_eq!(d.default.as_ref().map(|b| b.stmts.len()), Some(1));
}

#[test]
fn structural_errors_are_errors() {
    for text in [
        "fn f( {}",
        "fn f() -> {}",
        "impl X {",
        "impl !X {}",
        "struct S { a: }",
        "trait T { fn f() }",
        "mod m { fn }",
        "trait X: use<'a> {}",
        "pub foo!();",
        "fn f() {} }",
        "impl X { pub m!(); }",
        "const X: u8 = ;",
        "static S: u8 = 1",
        "default fn f() {}",
        "fn f() where {} fn",
        "use a::{b;",
    ] {
        assert!(syn::parse_file(text).is_err(), "syn accepts {text}");
        assert!(parse_items(text, &|_| false).is_err(), "accepted: {text}");
        check(text);
    }
    // An error inside a skipped body goes unnoticed (documented); a kept
    // body is parsed as usual.
    let text = "fn f() { let = ; }";
    assert!(parse_items(text, &|_| false).is_ok());
    assert!(parse_items(text, &|_| true).is_err());
}

/// Every one-character deletion of a sample (no `const`/`static`: their
/// initializers are never parsed) must neither panic nor part from syn.
#[test]
fn single_deletions_agree_with_syn() {
    let sample = r#"#![allow(x)]
/// Doc.
#[derive(Debug)]
pub struct S<T: Clone> { a: T, b: fn() -> u8 }
impl<T> Trait for S<T> where T: Clone {
    type A = u8;
    /// Doc.
    pub async fn f(&self, x: u8) -> Result<(), E> { g(x).await?; Ok(()) }
    fn h() -> Foo<{ 1 }> { todo!() }
}
unsafe impl<T> !Send for S<T> {}
trait Tr: Sized { fn d(&self) { self.x() } fn r(); }
mod m { pub(crate) fn i() { #![allow(y)] j() } }
extern "C" { fn e(); }
use a::{b, c::*};
"#;
    let chars: Vec<(usize, char)> = sample.char_indices().collect();
    for (at, ch) in chars {
        let mut text = sample.to_string();
        text.replace_range(at..at + ch.len_utf8(), "");
        check(&text);
    }
}
