//! Where each finding runs, and what identifies it: a second, read-only pass
//! over the syntax of the files that have findings.
//!
//! The engine reports a call's position; this pass finds, from that
//! position alone, the items around the call (inline `mod`s, `impl`s, fns),
//! the closures and async blocks it sits in, and the attributes on them. It
//! never changes what the engine found, so it can be rebuilt independently of
//! the walker.

use crate::diag::{Context, Pos};
use crate::discover::Discovered;
use crate::scan::ScanResult;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use proc_macro2::{LineColumn, Span};
use rayon::prelude::*;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// What the pass learns about one call.
#[derive(Clone, Debug, Default)]
pub struct Located {
    /// The item path inside the file (`Server::handle`).
    pub item: String,
    /// Where it runs.
    pub context: Context,
    /// For [`Context::Main`]: the runtime is current-thread.
    pub current_thread: bool,
    /// The call is a plain fn call (`std::thread::sleep(d)`) made directly in
    /// an async fn or block, not in a closure or a sync fn, with no lock
    /// guard or `Rc` taken before it there (which `.await` would keep across
    /// a suspension, making the future `!Send`): the callee ends at the
    /// first position, the arguments' parentheses at the second.
    pub direct_call: Option<(Pos, Pos)>,
}

/// One frame of the syntax around a position, outermost first.
#[derive(Clone, Debug)]
enum Frame {
    /// An inline `mod`; whether it is `#[cfg(test)]`.
    Mod(String, bool),
    /// An `impl` (its name as the path shows it) or a `trait`.
    Impl(String),
    /// A fn.
    Fn {
        name: String,
        is_async: bool,
        test: bool,
        /// `Some(current_thread)` under a runtime attribute (`#[tokio::main]`).
        runtime_main: Option<bool>,
    },
    /// A closure.
    Closure,
    /// An async block; whether it is handed to a `spawn` call.
    AsyncBlock(bool),
}

/// Fills in `extra.context`, `extra.item`, `extra.code` and
/// `extra.occurrence` of every diagnostic, and returns what the fixes need.
pub fn annotate(
    discovered: &Discovered,
    result: &mut ScanResult,
    threads: usize,
) -> Result<Vec<Located>, String> {
    let mut by_file: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, d) in result.diags.iter().enumerate() {
        by_file.entry(d.file).or_default().push(i);
    }
    let files: Vec<(usize, Vec<usize>)> = by_file.into_iter().collect();
    let pool = crate::scan::pool(threads)?;
    let diags = &result.diags;
    let texts = &result.files;
    let located: Vec<Vec<(usize, Located)>> = pool.install(|| {
        files
            .par_iter()
            .map(|(file, idx)| {
                let text = texts[*file].text.as_deref().unwrap_or("");
                let positions: Vec<Pos> = idx.iter().map(|&i| diags[i].start).collect();
                let found = locate(text, &positions);
                proc_macro2::extra::invalidate_current_thread_spans();
                idx.iter().copied().zip(found).collect()
            })
            .collect()
    });
    let mut out = vec![Located::default(); result.diags.len()];
    for (i, l) in located.into_iter().flatten() {
        out[i] = l;
    }
    for (i, d) in result.diags.iter_mut().enumerate() {
        let l = &out[i];
        let text = result.files[d.file].text.as_deref().unwrap_or("");
        let file_context = file_context(discovered, d.file)
            .or_else(|| result.test_files.contains(&d.file).then_some(Context::Test));
        d.extra.context = match file_context {
            Some(c) => c,
            None => l.context,
        };
        d.extra.current_thread = l.current_thread;
        d.extra.item = l.item.clone();
        d.extra.code = normalize(slice(text, d.start, d.end));
    }
    // Occurrences count identical calls of one item, in source order (the
    // diagnostics are sorted by position).
    let mut seen: HashMap<(usize, &'static str, String, String), usize> = HashMap::new();
    for d in &mut result.diags {
        let key = (
            d.file,
            d.kind.code(),
            d.extra.item.clone(),
            d.extra.code.clone(),
        );
        let n = seen.entry(key).or_insert(0);
        d.extra.occurrence = *n;
        *n += 1;
    }
    Ok(out)
}

/// Whether the whole file is test code (see [`file_context`]).
pub(crate) fn is_test_file(discovered: &Discovered, file: usize) -> bool {
    file_context(discovered, file) == Some(Context::Test)
}

/// The context a whole file has from its target or place: test and bench
/// targets, examples, and `tests`/`examples`/`benches` directories.
fn file_context(discovered: &Discovered, file: usize) -> Option<Context> {
    let f = discovered.files.get(file)?;
    let package = &discovered.packages[f.package];
    if let Some(t) = package.targets.get(f.target) {
        match t.kind.as_str() {
            "test" => return Some(Context::Test),
            "example" => return Some(Context::Example),
            "bench" => return Some(Context::Bench),
            _ => {}
        }
    }
    let rel = f.path.strip_prefix(&package.root).unwrap_or(&f.path);
    let dirs: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    match dirs.first().map(String::as_str) {
        Some("tests") => return Some(Context::Test),
        Some("examples") => return Some(Context::Example),
        Some("benches") => return Some(Context::Bench),
        _ => {}
    }
    // `src/tests.rs` and `src/x/tests/..` are, by convention, the files of
    // a `#[cfg(test)] mod tests;` declared elsewhere.
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
    if stem.as_deref() == Some("tests") || dirs.iter().skip(1).any(|d| d == "tests") {
        return Some(Context::Test);
    }
    None
}

/// The text between two positions.
pub fn slice(text: &str, start: Pos, end: Pos) -> &str {
    let a = crate::output::byte_offset(text, start);
    let b = crate::output::byte_offset(text, end).max(a);
    &text[a..b]
}

/// Code without whitespace, comments and trailing commas (string literals
/// kept as written), so that reformatting (rustfmt included) leaves it
/// unchanged.
pub fn normalize(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for s in chars.by_ref() {
                    if prev == '*' && s == '/' {
                        break;
                    }
                    prev = s;
                }
            }
            c if c.is_whitespace() => {}
            ')' | ']' | '}' => {
                if out.ends_with(',') {
                    out.pop();
                }
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Locates each position in `text`; a file that does not parse gives defaults.
pub fn locate(text: &str, positions: &[Pos]) -> Vec<Located> {
    let Ok(file) = syn::parse_file(text) else {
        return vec![Located::default(); positions.len()];
    };
    let mut v = Locator {
        positions,
        stacks: vec![None; positions.len()],
        calls: vec![None; positions.len()],
        stack: Vec::new(),
        starts: Vec::new(),
        spawned: HashSet::new(),
    };
    v.visit_file(&file);
    // `#![cfg(test)]`: the whole file is a test module.
    let test_file = cfg_test(&file.attrs);
    (0..positions.len())
        .map(|i| {
            let (stack, starts) = v.stacks[i].clone().unwrap_or_default();
            let (context, current_thread) = match context_of(&stack) {
                _ if test_file => (Context::Test, false),
                found => found,
            };
            let body = innermost_body(&stack);
            let direct = matches!(
                body.map(|b| &stack[b]),
                Some(Frame::Fn { is_async: true, .. } | Frame::AsyncBlock(_))
            ) && body
                .is_some_and(|b| !holds_guard(slice(text, starts[b], positions[i])));
            Located {
                item: item_path(&stack),
                context,
                current_thread,
                direct_call: v.calls[i].filter(|_| direct),
            }
        })
        .collect()
}

/// The index of the innermost fn, closure or async block.
fn innermost_body(stack: &[Frame]) -> Option<usize> {
    stack
        .iter()
        .rposition(|f| matches!(f, Frame::Fn { .. } | Frame::Closure | Frame::AsyncBlock(_)))
}

/// Whether code may hold something that is not `Send` (a lock guard, a
/// `RefCell` borrow, an `Rc`): read by name, so it errs towards no fix.
fn holds_guard(code: &str) -> bool {
    [
        ".lock(",
        ".try_lock(",
        ".read(",
        ".write(",
        ".borrow(",
        ".borrow_mut(",
        "Rc::",
        "Rc<",
    ]
    .iter()
    .any(|p| code.contains(p))
}

fn context_of(stack: &[Frame]) -> (Context, bool) {
    if stack
        .iter()
        .any(|f| matches!(f, Frame::Mod(_, true)) || matches!(f, Frame::Fn { test: true, .. }))
    {
        return (Context::Test, false);
    }
    for f in stack.iter().rev() {
        match f {
            // A task spawned from `main` runs on the workers.
            Frame::AsyncBlock(true) => return (Context::Async, false),
            Frame::Fn {
                name,
                is_async: true,
                runtime_main: Some(current_thread),
                ..
            } if name == "main" => return (Context::Main, *current_thread),
            Frame::Fn { .. } => return (Context::Async, false),
            _ => {}
        }
    }
    (Context::Async, false)
}

fn item_path(stack: &[Frame]) -> String {
    let parts: Vec<&str> = stack
        .iter()
        .filter_map(|f| match f {
            Frame::Mod(name, _) | Frame::Impl(name) | Frame::Fn { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    parts.join("::")
}

fn pos(lc: LineColumn) -> Pos {
    Pos {
        line: lc.line,
        column: lc.column + 1,
    }
}

struct Locator<'a> {
    positions: &'a [Pos],
    /// For each position: the frames around it and where each starts.
    stacks: Vec<Option<(Vec<Frame>, Vec<Pos>)>>,
    /// For positions that start a plain fn call: the callee's end and the call's end.
    calls: Vec<Option<(Pos, Pos)>>,
    stack: Vec<Frame>,
    /// Where each frame of `stack` starts.
    starts: Vec<Pos>,
    /// Start positions of async blocks handed to a `spawn` call.
    spawned: HashSet<Pos>,
}

impl Locator<'_> {
    /// Records the current stack for every position inside `span`; frames
    /// are entered outermost first, so the innermost one wins.
    fn enter(&mut self, frame: Frame, span: Span) {
        let (start, end) = (pos(span.start()), pos(span.end()));
        self.stack.push(frame);
        self.starts.push(start);
        for (i, p) in self.positions.iter().enumerate() {
            if start <= *p && *p < end {
                self.stacks[i] = Some((self.stack.clone(), self.starts.clone()));
            }
        }
    }

    fn leave(&mut self) {
        self.stack.pop();
        self.starts.pop();
    }
}

fn has_attr(attrs: &[syn::Attribute], last: &str) -> bool {
    attrs
        .iter()
        .any(|a| a.path().segments.last().is_some_and(|s| s.ident == last))
}

fn cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && match &a.meta {
                syn::Meta::List(l) => {
                    let t = l.tokens.to_string();
                    t.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "test")
                        && !t.contains("not")
                }
                _ => false,
            }
    })
}

/// `Some(current_thread)` when the fn carries a runtime's `main` attribute
/// (`#[tokio::main]`, `#[actix_web::main]`, `#[async_std::main]`, ...).
fn runtime_main(attrs: &[syn::Attribute]) -> Option<bool> {
    attrs.iter().find_map(|a| {
        let segs = &a.path().segments;
        if segs.len() < 2 || segs.last().is_none_or(|s| s.ident != "main") {
            return None;
        }
        let current_thread = match &a.meta {
            syn::Meta::List(l) => l.tokens.to_string().contains("current_thread"),
            _ => false,
        };
        Some(current_thread)
    })
}

fn fn_frame(attrs: &[syn::Attribute], sig: &syn::Signature) -> Frame {
    Frame::Fn {
        name: sig.ident.to_string(),
        is_async: sig.asyncness.is_some(),
        test: has_attr(attrs, "test") || cfg_test(attrs),
        runtime_main: runtime_main(attrs),
    }
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_owned(), |s| s.ident.to_string()),
        syn::Type::Reference(r) => type_name(&r.elem),
        _ => "_".to_owned(),
    }
}

fn is_spawn(name: &str) -> bool {
    name == "spawn" || name == "spawn_local" || name == "spawn_on"
}

impl<'ast> Visit<'ast> for Locator<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        self.enter(
            Frame::Mod(m.ident.to_string(), cfg_test(&m.attrs)),
            m.span(),
        );
        visit::visit_item_mod(self, m);
        self.leave();
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let ty = type_name(&i.self_ty);
        let name = match &i.trait_ {
            Some((_, path, _)) => format!(
                "<{ty} as {}>",
                path.segments
                    .last()
                    .map_or_else(|| "_".to_owned(), |s| s.ident.to_string())
            ),
            None => ty,
        };
        let test = cfg_test(&i.attrs);
        self.enter(Frame::Impl(name), i.span());
        if test {
            self.stack.push(Frame::Mod(String::new(), true));
            self.starts.push(pos(i.span().start()));
        }
        visit::visit_item_impl(self, i);
        if test {
            self.leave();
        }
        self.leave();
    }

    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.enter(Frame::Impl(t.ident.to_string()), t.span());
        visit::visit_item_trait(self, t);
        self.leave();
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.enter(fn_frame(&f.attrs, &f.sig), f.span());
        visit::visit_item_fn(self, f);
        self.leave();
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.enter(fn_frame(&f.attrs, &f.sig), f.span());
        visit::visit_impl_item_fn(self, f);
        self.leave();
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.enter(fn_frame(&f.attrs, &f.sig), f.span());
        visit::visit_trait_item_fn(self, f);
        self.leave();
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        let frame = if c.asyncness.is_some() {
            Frame::AsyncBlock(self.spawned.contains(&pos(c.span().start())))
        } else {
            Frame::Closure
        };
        self.enter(frame, c.span());
        visit::visit_expr_closure(self, c);
        self.leave();
    }

    fn visit_expr_async(&mut self, a: &'ast syn::ExprAsync) {
        let spawned = self.spawned.contains(&pos(a.span().start()));
        self.enter(Frame::AsyncBlock(spawned), a.span());
        visit::visit_expr_async(self, a);
        self.leave();
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let start = pos(c.span().start());
            if let Some(i) = self.positions.iter().position(|q| *q == start) {
                self.calls[i] = Some((pos(c.func.span().end()), pos(c.span().end())));
            }
            if p.path
                .segments
                .last()
                .is_some_and(|s| is_spawn(&s.ident.to_string()))
            {
                self.spawned
                    .extend(c.args.iter().map(|a| pos(a.span().start())));
            }
        }
        visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if is_spawn(&m.method.to_string()) {
            self.spawned
                .extend(m.args.iter().map(|a| pos(a.span().start())));
        }
        visit::visit_expr_method_call(self, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, needle: &str) -> Located {
        let (line, col) = src
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, c + 1)))
            .unwrap();
        locate(src, &[Pos { line, column: col }]).remove(0)
    }

    #[test]
    fn contexts_from_syntax() {
        let src = "\
#[tokio::main]
async fn main() {
    std::fs::read(\"a\");
    tokio::spawn(async move { std::fs::read(\"b\"); });
    let _ = async { std::fs::read(\"c\"); };
}
#[cfg(test)]
mod tests {
    async fn helper() { std::fs::read(\"d\"); }
}
#[tokio::test]
async fn t() { std::fs::read(\"e\"); }
#[tokio::main(flavor = \"current_thread\")]
async fn main2() { std::fs::read(\"f\"); }
impl Server { async fn handle(&self) { std::fs::read(\"g\"); } }
impl std::fmt::Display for Server { fn fmt(&self) { let _ = async { std::fs::read(\"h\") }; } }
";
        let a = at(src, "std::fs::read(\"a\")");
        assert_eq!((a.context, a.item.as_str()), (Context::Main, "main"));
        assert!(a.direct_call.is_some());
        assert_eq!(at(src, "std::fs::read(\"b\")").context, Context::Async);
        assert_eq!(at(src, "std::fs::read(\"c\")").context, Context::Main);
        let d = at(src, "std::fs::read(\"d\")");
        assert_eq!(
            (d.context, d.item.as_str()),
            (Context::Test, "tests::helper")
        );
        assert_eq!(at(src, "std::fs::read(\"e\")").context, Context::Test);
        // Only `main` is the main future.
        assert_eq!(at(src, "std::fs::read(\"f\")").context, Context::Async);
        assert_eq!(at(src, "std::fs::read(\"g\")").item, "Server::handle");
        assert_eq!(
            at(src, "std::fs::read(\"h\")").item,
            "<Server as Display>::fmt"
        );
    }

    #[test]
    fn normalized_code_ignores_layout() {
        assert_eq!(
            normalize("std::fs::read_to_string(\n    \"a b\", // why\n)"),
            "std::fs::read_to_string(\"a b\")"
        );
        assert_eq!(normalize("f( /* x */ 1 )"), "f(1)");
    }
}
