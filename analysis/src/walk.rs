//! The walker: finds catalog calls in async context.
//!
//! Without types, the walker reads the shape of the code. A call's result is
//! classified by its [`Usage`]: a future is awaited, passed on or stored; a
//! blocking API's result is unwrapped, `?`-ed, matched, iterated or dropped.
//! Local variables carry a type when the code names one (a parameter's type,
//! `let x: T`, `T::new(..)`, a channel constructor), which makes a method
//! match certain; otherwise only rules whose shape says so match, as likely.

use crate::catalog::{
    self, BLOCKING_ITERABLES, BUILDERS, Confidence, ITEM_TYPES, LIKELY_TYPES, Level, MUT_CONN,
    Matcher, OFFLOADERS, Offloader, RETURN_TYPES, RULES, Rule, Shape, THREAD_SPAWN_METHODS,
    TUPLE_RETURNS,
};
use crate::hatch::{Allow, expr_attrs, is_hatch, parse_hatch};
use crate::io::{CONSUMERS, GENERIC_IO_TYPE, IO_METHODS, IO_TRAITS, IoKind, io_kind, with_io};
use crate::model::{CrateModel, TypeRef, WRAPPERS, resolve_type_ref};
use crate::resolve::{Resolved, Resolver, Scope};
use crate::{Analysis, BlockingCall, Finding, FnSummary, HatchUse, LocalCall, Options};
use proc_macro2::Span;
use quote::ToTokens;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, Block, Expr, FnArg, ImplItem, Item, Pat, Signature, Stmt, TraitItem, Type};

/// How the value of an expression is used by its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Usage {
    Awaited,
    Tried,
    Unwrapped,
    Matched,
    Iterated,
    Dropped,
    Stored,
    Passed,
    Returned,
    Other,
}

impl Usage {
    /// Used as a value in a way a future never is.
    fn consumed(self) -> bool {
        matches!(
            self,
            Usage::Tried
                | Usage::Unwrapped
                | Usage::Matched
                | Usage::Iterated
                | Usage::Dropped
                | Usage::Returned
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// Inside an async fn, block or closure.
    Async,
    /// Inside a sync fn: blocking calls are recorded in its summary.
    Sync,
    /// Inside a closure handed to an offloader: blocking is fine.
    Offloaded,
    /// Inside a closure that is stored here (a struct field, `Box::new`,
    /// pushed, returned), not called: it blocks where it is called, which
    /// the walker does not follow, so nothing in it counts here.
    Deferred,
}

impl Ctx {
    /// Code that does not run on the executor thread where it is written.
    fn off_executor(self) -> bool {
        matches!(self, Ctx::Offloaded | Ctx::Deferred)
    }
}

/// Traits whose `poll*` methods the executor calls directly.
const POLL_TRAITS: &[&str] = &[
    "Future",
    "Stream",
    "Sink",
    "AsyncRead",
    "AsyncWrite",
    "AsyncBufRead",
    "AsyncSeek",
    "Service",
];

/// Methods whose receiver is consumed as a value (`rx.recv().unwrap()`).
const UNWRAPPERS: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_or",
    "unwrap_or_else",
    "unwrap_or_default",
    "unwrap_err",
    "expect_err",
    "ok",
    "err",
    "is_ok",
    "is_err",
    "is_some",
    "is_none",
];

/// Combinators that exist on both `Result` and futures (`TryFutureExt`): the
/// receiver is used the way the combinator's result is.
const PASS_THROUGH: &[&str] = &[
    "map_err",
    "map",
    "context",
    "with_context",
    "and_then",
    "or_else",
    "inspect",
    "inspect_err",
    "ok_or",
    "ok_or_else",
    "map_ok",
];

/// Methods that return their receiver's type, for inference.
const SAME_TYPE: &[&str] = &[
    "map_err",
    "context",
    "with_context",
    "inspect",
    "inspect_err",
    "or_else",
    "ok",
    "try_clone",
    "unwrap",
    "expect",
    "clone",
    "as_ref",
    "borrow",
    "borrow_mut",
    "as_mut",
    "to_owned",
];

/// Associated fns that construct their own type (`File::open`, `Mutex::new`).
const CONSTRUCTORS: &[&str] = &[
    "new",
    "open",
    "create",
    "connect",
    "bind",
    "from",
    "default",
    "with_capacity",
    "create_new",
];

pub(crate) struct Walker<'a> {
    opts: &'a Options<'a>,
    res: Resolver,
    /// Local variables, innermost frame last; the value is the variable's type when known.
    env: Vec<HashMap<String, Option<String>>>,
    ctx: Ctx,
    current_fn: Option<usize>,
    self_ty: Option<String>,
    /// Active escape hatches: what they allow and their index in `out.hatches`.
    allows: Vec<(Allow, usize)>,
    /// The crate's items, imports and types across its files.
    model: &'a CrateModel,
    /// The path nested items of the current fn are named under.
    item_owner: Option<String>,
    /// Walking the arguments of a `block_on` made in offloaded code.
    driving_offloaded: bool,
    /// Last segments of every known offloader, for the by-name pre-scans.
    offloader_names: HashSet<String>,
    /// Inside a hand-written `poll`: nothing there is awaited, so the shape
    /// of a call says nothing, and only certain matches count.
    in_poll_fn: bool,
    /// The fn that receives the closure being walked, when that fn may be an
    /// offloader defined elsewhere.
    closure_owner: Option<String>,
    /// Type parameters in scope bounded by an I/O trait (`R: Read`).
    io_generics: Vec<String>,
    /// Whether `self` of the enclosing impl is generic over I/O
    /// (`impl<R: Read> Reader<R>`).
    self_io: bool,
    /// What the I/O values of the call being checked read from.
    call_io: Option<IoKind>,
    /// How many branches taken only on some paths enclose the code walked
    /// (see [`LocalCall::conditional`]).
    conditional: u32,
    out: Analysis,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(opts: &'a Options<'a>, model: &'a CrateModel) -> Walker<'a> {
        Walker {
            opts,
            res: Resolver::default(),
            env: Vec::new(),
            ctx: Ctx::Sync,
            current_fn: None,
            self_ty: None,
            allows: Vec::new(),
            model,
            item_owner: None,
            driving_offloaded: false,
            closure_owner: None,
            in_poll_fn: false,
            io_generics: Vec::new(),
            self_io: false,
            call_io: None,
            conditional: 0,
            offloader_names: OFFLOADERS
                .iter()
                .map(|o| match o {
                    Offloader::Path(p) => last_segment(p),
                    Offloader::Method(m) => m,
                })
                .chain(opts.config.extra_offloaders.iter().map(|p| last_segment(p)))
                .chain(model.offloaders.iter().map(|p| last_segment(p)))
                .map(str::to_owned)
                .collect(),
            out: Analysis::default(),
        }
    }

    /// Where items declared in the current block live: under the enclosing
    /// fn, so that `fn iter` nested in two fns names two helpers.
    fn item_prefix(&self) -> String {
        self.item_owner
            .clone()
            .unwrap_or_else(|| self.res.module().to_owned())
    }

    fn module_path(&self) -> String {
        self.opts.module_path.join("::")
    }

    pub(crate) fn file(mut self, file: &syn::File) -> Analysis {
        let module = self.module_path();
        self.res.push(Scope::from_model(&module, self.model));
        self.with_hatches(&file.attrs, |w| w.items(&file.items, &module));
        self.res.pop();
        self.finish()
    }

    fn finish(mut self) -> Analysis {
        let mut offloaders: Vec<String> = self.model.offloaders.iter().cloned().collect();
        offloaders.sort();
        self.out.offloaders = offloaders;
        self.out
    }

    pub(crate) fn root_item(mut self, item: &Item) -> Analysis {
        let module = self.module_path();
        self.res.push(Scope::from_model(&module, self.model));
        self.items(std::slice::from_ref(item), &module);
        self.res.pop();
        self.finish()
    }

    fn impl_type(&self, ty: &Type, module: &str) -> Option<String> {
        let Type::Path(tp) = ty else { return None };
        let segs = path_segs(&tp.path);
        match self
            .res
            .resolve(&segs, tp.path.leading_colon.is_some(), None)
        {
            Resolved::Path(p) => Some(p),
            _ => Some(format!("{module}::{}", segs.join("::"))),
        }
    }

    // ----- items -----

    fn items(&mut self, items: &[Item], module: &str) {
        for item in items {
            self.item(item, module);
        }
    }

    fn item(&mut self, item: &Item, module: &str) {
        if self.opts.config.skip_tests && is_test_code(item_attrs(item)) {
            return;
        }
        match item {
            Item::Fn(f) => {
                let path = format!("{module}::{}", f.sig.ident);
                self.func(&f.attrs, &f.sig, &f.block, path);
            }
            Item::Impl(i) => {
                let ty = self.impl_type(&i.self_ty, module);
                let saved = std::mem::replace(&mut self.self_ty, ty.clone());
                let poll_trait = i
                    .trait_
                    .as_ref()
                    .and_then(|(_, p, _)| p.segments.last())
                    .map(|s| s.ident.to_string())
                    .filter(|t| POLL_TRAITS.contains(&t.as_str()));
                let io_before = self.io_generics.len();
                self.io_generics.extend(io_bounded(&i.generics));
                let saved_self_io =
                    std::mem::replace(&mut self.self_io, self_io(&i.self_ty, &self.io_generics));
                self.with_hatches(&i.attrs, |w| {
                    for it in &i.items {
                        if let ImplItem::Fn(f) = it {
                            if w.opts.config.skip_tests && is_test_code(&f.attrs) {
                                continue;
                            }
                            let owner = ty.clone().unwrap_or_else(|| module.to_owned());
                            // A hand-written `poll` (or a tower `Service::call`) runs
                            // on the executor thread, like an async fn's body.
                            let name = f.sig.ident.to_string();
                            let on_executor = poll_trait.as_deref().is_some_and(|t| {
                                name.starts_with("poll") || (t == "Service" && name == "call")
                            });
                            w.func_in(
                                &f.attrs,
                                &f.sig,
                                &f.block,
                                format!("{owner}::{name}"),
                                on_executor,
                            );
                        }
                    }
                });
                self.io_generics.truncate(io_before);
                self.self_io = saved_self_io;
                self.self_ty = saved;
            }
            Item::Trait(t) => {
                let saved = self.self_ty.replace(format!("{module}::{}", t.ident));
                self.with_hatches(&t.attrs, |w| {
                    for it in &t.items {
                        if let TraitItem::Fn(f) = it {
                            if let Some(body) = &f.default {
                                let path = format!("{module}::{}::{}", t.ident, f.sig.ident);
                                w.func(&f.attrs, &f.sig, body, path);
                            }
                        }
                    }
                });
                self.self_ty = saved;
            }
            Item::Mod(m) => {
                if let Some((_, content)) = &m.content {
                    let inner = format!("{module}::{}", m.ident);
                    self.res.push(Scope::from_model(&inner, self.model));
                    self.with_hatches(&m.attrs, |w| w.items(content, &inner));
                    self.res.pop();
                }
            }
            Item::Const(c) => self.sync_expr(&c.attrs, &c.expr),
            Item::Static(s) => self.sync_expr(&s.attrs, &s.expr),
            _ => {}
        }
    }

    /// An initializer outside any fn: sync, but async blocks inside still count.
    fn sync_expr(&mut self, attrs: &[Attribute], e: &Expr) {
        let saved = (self.ctx, self.current_fn);
        self.ctx = Ctx::Sync;
        self.current_fn = None;
        self.with_hatches(attrs, |w| w.expr(e, Usage::Other));
        (self.ctx, self.current_fn) = saved;
    }

    fn func(&mut self, attrs: &[Attribute], sig: &Signature, block: &Block, path: String) {
        self.func_in(attrs, sig, block, path, false);
    }

    fn func_in(
        &mut self,
        attrs: &[Attribute],
        sig: &Signature,
        block: &Block,
        path: String,
        on_executor: bool,
    ) {
        let saved = (self.ctx, self.current_fn);
        let saved_conditional = std::mem::take(&mut self.conditional);
        let hatch_count = self.allows.len();
        let allowed_fn = self.push_hatches(attrs);
        let saved_poll =
            std::mem::replace(&mut self.in_poll_fn, on_executor && sig.asyncness.is_none());
        if sig.asyncness.is_some() || on_executor {
            self.ctx = Ctx::Async;
            self.current_fn = None;
        } else {
            self.ctx = Ctx::Sync;
            self.out.fns.push(FnSummary {
                path: path.clone(),
                span: sig.ident.span(),
                marked: crate::model::lower::has_marker(attrs),
                allowed: allowed_fn,
                blocking: Vec::new(),
                calls: Vec::new(),
                generic_io: None,
            });
            self.current_fn = Some(self.out.fns.len() - 1);
        }
        let saved_owner = self.item_owner.replace(path.clone());
        let io_before = self.io_generics.len();
        self.io_generics.extend(io_bounded(&sig.generics));
        self.env.push(HashMap::new());
        for input in &sig.inputs {
            match input {
                FnArg::Receiver(_) => {
                    let ty = self.self_ty.clone();
                    let ty = match ty {
                        Some(t) if self.self_io => Some(with_io(t, IoKind::Generic)),
                        t => t,
                    };
                    self.bind("self", ty);
                }
                FnArg::Typed(pt) => {
                    let ty = if is_generic_io(&pt.ty, &self.io_generics) {
                        Some(GENERIC_IO_TYPE.to_owned())
                    } else {
                        self.resolve_type(&pt.ty)
                    };
                    self.bind_pat(&pt.pat, ty);
                }
            }
        }
        self.block(block, Usage::Returned);
        self.env.pop();
        self.io_generics.truncate(io_before);
        self.item_owner = saved_owner;
        self.allows.truncate(hatch_count);
        self.in_poll_fn = saved_poll;
        self.conditional = saved_conditional;
        (self.ctx, self.current_fn) = saved;
    }

    // ----- escape hatches -----

    /// Pushes the escape hatches among `attrs`; returns whether there was one.
    fn push_hatches(&mut self, attrs: &[Attribute]) -> bool {
        let mut any = false;
        for attr in attrs.iter().filter(|a| is_hatch(a)) {
            match parse_hatch(attr) {
                Ok(allow) => {
                    self.out.hatches.push(HatchUse {
                        span: attr.span(),
                        used: false,
                        keys: allow.keys.clone(),
                    });
                    self.allows.push((allow, self.out.hatches.len() - 1));
                    any = true;
                }
                Err(e) => self.out.errors.push(e),
            }
        }
        any
    }

    fn with_hatches(&mut self, attrs: &[Attribute], f: impl FnOnce(&mut Self)) {
        let n = self.allows.len();
        self.push_hatches(attrs);
        f(self);
        self.allows.truncate(n);
    }

    // ----- blocks and statements -----

    fn block(&mut self, block: &Block, usage: Usage) {
        let has_items = block.stmts.iter().any(|s| matches!(s, Stmt::Item(_)));
        if has_items {
            let mut scope = Scope::block(self.item_prefix());
            scope.add_items(block.stmts.iter().filter_map(|s| match s {
                Stmt::Item(i) => Some(i),
                _ => None,
            }));
            self.res.push(scope);
        }
        self.env.push(HashMap::new());
        let last = block.stmts.len().saturating_sub(1);
        let conditional = self.conditional;
        for (i, stmt) in block.stmts.iter().enumerate() {
            let tail = if i == last { usage } else { Usage::Dropped };
            self.stmt(stmt, tail, &block.stmts[i + 1..]);
            // `if let Ok(v) = fast() { return Ok(v) }`: what follows is the
            // fallback, or the miss of a cache.
            if self.conditional == conditional && is_fast_path(stmt) {
                self.conditional += 1;
            }
        }
        self.conditional = conditional;
        self.env.pop();
        if has_items {
            self.res.pop();
        }
    }

    /// `rest`: the statements after this one in its block, where a closure
    /// bound here may be handed to an offloader by name.
    fn stmt(&mut self, stmt: &Stmt, tail: Usage, rest: &[Stmt]) {
        match stmt {
            Stmt::Local(local) => self.with_hatches(&local.attrs, |w| {
                if let Some(init) = &local.init {
                    // Only a `let job = || ..;` needs the look ahead, which
                    // keeps it off the common path.
                    let offloaded = matches!(&*init.expr, Expr::Closure(c) if c.asyncness.is_none())
                        && pat_ident(&local.pat)
                            .is_some_and(|name| offloaded_later(rest, &name, &w.offloader_names));
                    // `let f = Box::new(|| ..); f()`: called here after all.
                    let boxed_called = boxed_closure(&init.expr).filter(|_| {
                        pat_ident(&local.pat).is_some_and(|name| called_in(rest, &name))
                    });
                    match (&*init.expr, offloaded) {
                        (Expr::Closure(c), true) => w.offloaded_closure(c),
                        (Expr::Call(call), _) if boxed_called.is_some() => {
                            w.expr(&call.func, Usage::Other);
                            if let Some(c) = boxed_called {
                                w.closure(c);
                            }
                        }
                        _ => {
                            let usage = if matches!(local.pat, Pat::Wild(_)) {
                                Usage::Dropped
                            } else {
                                Usage::Stored
                            };
                            w.expr(&init.expr, usage);
                        }
                    }
                    if let Some((_, diverge)) = &init.diverge {
                        w.conditionally(|w| w.expr(diverge, Usage::Other));
                    }
                }
                w.bind_local(&local.pat, local.init.as_ref().map(|i| &*i.expr));
            }),
            Stmt::Item(item) => {
                let owner = self.item_prefix();
                let saved_env = std::mem::take(&mut self.env);
                self.item(item, &owner);
                self.env = saved_env;
            }
            Stmt::Expr(e, semi) => {
                let usage = if semi.is_some() { Usage::Dropped } else { tail };
                self.expr(e, usage);
            }
            Stmt::Macro(m) => self.with_hatches(&m.attrs, |w| w.mac(&m.mac, Usage::Dropped)),
        }
    }

    // ----- expressions -----

    pub(crate) fn expr(&mut self, e: &Expr, usage: Usage) {
        let attrs = expr_attrs(e);
        if attrs.iter().any(is_hatch) {
            let n = self.allows.len();
            self.push_hatches(attrs);
            self.expr_inner(e, usage);
            self.allows.truncate(n);
        } else {
            self.expr_inner(e, usage);
        }
    }

    fn expr_inner(&mut self, e: &Expr, usage: Usage) {
        match e {
            Expr::Call(c) => self.call(c, usage),
            Expr::MethodCall(m) => self.method_call(m, usage),
            Expr::Await(a) => self.expr(&a.base, Usage::Awaited),
            Expr::Try(t) => self.expr(&t.expr, Usage::Tried),
            Expr::Async(a) => self.async_body(|w| w.block(&a.block, Usage::Returned)),
            // A closure given back to the caller runs where the caller calls it.
            Expr::Closure(c) if usage == Usage::Returned => self.stored_closure(c),
            Expr::Closure(c) => self.closure(c),
            Expr::Block(b) => self.block(&b.block, usage),
            Expr::Unsafe(u) => self.block(&u.block, usage),
            Expr::TryBlock(t) => self.block(&t.block, usage),
            Expr::Const(c) => self.block(&c.block, usage),
            Expr::Paren(p) => self.expr(&p.expr, usage),
            Expr::Group(g) => self.expr(&g.expr, usage),
            Expr::Macro(m) => self.mac(&m.mac, usage),
            Expr::Let(l) => {
                self.expr(&l.expr, Usage::Matched);
                self.bind_local(&l.pat, Some(&l.expr));
            }
            Expr::If(i) => {
                self.env.push(HashMap::new());
                self.cond(&i.cond);
                if is_flag(&i.cond) {
                    self.conditionally(|w| w.block(&i.then_branch, usage));
                } else {
                    self.block(&i.then_branch, usage);
                }
                self.env.pop();
                if let Some((_, els)) = &i.else_branch {
                    self.expr(els, usage);
                }
            }
            Expr::While(w) => {
                self.env.push(HashMap::new());
                self.cond(&w.cond);
                self.block(&w.body, Usage::Dropped);
                self.env.pop();
            }
            Expr::ForLoop(f) => {
                self.blocking_iteration(&f.expr);
                self.expr(&f.expr, Usage::Iterated);
                self.env.push(HashMap::new());
                let item = self.item_type(&f.expr);
                self.bind_pat(&f.pat, item);
                self.block(&f.body, Usage::Dropped);
                self.env.pop();
            }
            Expr::Loop(l) => self.block(&l.body, Usage::Dropped),
            Expr::Match(m) => {
                self.expr(&m.expr, Usage::Matched);
                for arm in &m.arms {
                    self.env.push(HashMap::new());
                    self.bind_local(&arm.pat, Some(&m.expr));
                    if let Some((_, g)) = &arm.guard {
                        self.expr(g, Usage::Other);
                    }
                    if is_failure_pat(&arm.pat) {
                        self.conditionally(|w| w.expr(&arm.body, usage));
                    } else {
                        self.expr(&arm.body, usage);
                    }
                    self.env.pop();
                }
            }
            Expr::Return(r) => {
                if let Some(v) = &r.expr {
                    self.expr(v, Usage::Returned);
                }
            }
            Expr::Break(b) => {
                if let Some(v) = &b.expr {
                    self.expr(v, Usage::Other);
                }
            }
            Expr::Yield(y) => {
                if let Some(v) = &y.expr {
                    self.expr(v, Usage::Other);
                }
            }
            Expr::Assign(a) => {
                self.expr(&a.left, Usage::Other);
                match (&*a.left, &*a.right) {
                    (Expr::Field(_), Expr::Closure(c)) => self.stored_closure(c),
                    _ => self.expr(&a.right, Usage::Stored),
                }
            }
            Expr::Binary(b) => {
                self.expr(&b.left, Usage::Other);
                self.expr(&b.right, Usage::Other);
            }
            Expr::Unary(u) => self.expr(&u.expr, Usage::Other),
            Expr::Reference(r) => self.expr(&r.expr, Usage::Other),
            Expr::Cast(c) => self.expr(&c.expr, Usage::Other),
            Expr::Field(f) => self.expr(&f.base, Usage::Other),
            Expr::Index(i) => {
                self.expr(&i.expr, Usage::Other);
                self.expr(&i.index, Usage::Other);
            }
            Expr::Range(r) => {
                for side in [&r.start, &r.end].into_iter().flatten() {
                    self.expr(side, Usage::Other);
                }
            }
            Expr::Array(a) => a.elems.iter().for_each(|x| self.expr(x, Usage::Stored)),
            Expr::Tuple(t) => t.elems.iter().for_each(|x| self.expr(x, Usage::Stored)),
            Expr::Repeat(r) => {
                self.expr(&r.expr, Usage::Stored);
                self.expr(&r.len, Usage::Other);
            }
            Expr::Struct(s) => {
                for f in &s.fields {
                    match &f.expr {
                        Expr::Closure(c) => self.stored_closure(c),
                        other => self.expr(other, Usage::Stored),
                    }
                }
                if let Some(rest) = &s.rest {
                    self.expr(rest, Usage::Other);
                }
            }
            _ => {}
        }
    }

    /// `for msg in rx` receives from a channel at each step with no method
    /// call in sight; `for e in WalkDir::new(dir)` reads directories.
    fn blocking_iteration(&mut self, iterable: &Expr) {
        let Some(ty) = self.infer(iterable) else {
            return;
        };
        if ty.contains("(io=") {
            let display = format!("for .. in {}", short(iterable));
            let span = iterable.span();
            match io_kind(&ty) {
                Some(IoKind::Generic) => self.note_generic_io(&display, span),
                Some(k) => {
                    if let Some(rule) = k.rule() {
                        let call = format!("{}::into_iter", base_type(&ty));
                        self.emit(rule, &call, &display, span, span, Confidence::Certain, None);
                    }
                }
                None => {}
            }
            return;
        }
        let Some(&(_, rule)) = BLOCKING_ITERABLES.iter().find(|(t, _)| *t == ty) else {
            return;
        };
        let display = format!("for .. in {}", short(iterable));
        let span = iterable.span();
        self.emit(
            rule,
            &format!("{ty}::into_iter"),
            &display,
            span,
            span,
            Confidence::Certain,
            None,
        );
    }

    fn cond(&mut self, cond: &Expr) {
        match cond {
            Expr::Let(l) => {
                self.expr(&l.expr, Usage::Matched);
                self.bind_local(&l.pat, Some(&l.expr));
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.cond(&b.left);
                self.cond(&b.right);
            }
            other => self.expr(other, Usage::Other),
        }
    }

    /// Statements that run as an async block's body (a `stream!` macro's).
    pub(crate) fn async_stmts(&mut self, stmts: &[Stmt]) {
        let block = Block {
            brace_token: Default::default(),
            stmts: stmts.to_vec(),
        };
        self.async_body(|w| w.block(&block, Usage::Returned));
    }

    /// Walks code that runs only on some paths through its fn.
    fn conditionally(&mut self, f: impl FnOnce(&mut Self)) {
        self.conditional += 1;
        f(self);
        self.conditional -= 1;
    }

    fn async_body(&mut self, f: impl FnOnce(&mut Self)) {
        // `block_in_place(|| handle.block_on(async { .. }))`: the future is
        // driven by the thread that left the executor, not by a worker.
        if self.ctx.off_executor() && self.driving_offloaded {
            self.driving_offloaded = false;
            f(self);
            self.driving_offloaded = true;
            return;
        }
        let saved = (self.ctx, self.current_fn, self.closure_owner.take());
        self.ctx = Ctx::Async;
        self.current_fn = None;
        f(self);
        (self.ctx, self.current_fn, self.closure_owner) = saved;
    }

    fn closure(&mut self, c: &syn::ExprClosure) {
        self.env.push(HashMap::new());
        for input in &c.inputs {
            self.bind_pat(input, None);
        }
        if c.asyncness.is_some() {
            self.async_body(|w| w.expr(&c.body, Usage::Returned));
        } else {
            // A closure that runs inline (`iter().map(|p| fs::read(p))`)
            // runs in whatever context it is written in.
            self.expr(&c.body, Usage::Other);
        }
        self.env.pop();
    }

    /// A closure kept for later (see [`Ctx::Deferred`]). An async closure's
    /// body is async code wherever it is called, so it is walked as one.
    fn stored_closure(&mut self, c: &syn::ExprClosure) {
        self.closure_in(c, Ctx::Deferred);
    }

    fn offloaded_closure(&mut self, c: &syn::ExprClosure) {
        self.closure_in(c, Ctx::Offloaded);
    }

    /// A sync closure's body in `ctx`; an async closure's stays async code.
    fn closure_in(&mut self, c: &syn::ExprClosure, ctx: Ctx) {
        if c.asyncness.is_some() {
            return self.closure(c);
        }
        let saved = std::mem::replace(&mut self.ctx, ctx);
        self.closure(c);
        self.ctx = saved;
    }

    fn args_offloaded(&mut self, args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>) {
        for arg in args {
            match arg {
                Expr::Closure(c) => self.offloaded_closure(c),
                // `spawn_blocking({ let h = Handle::current(); move || .. })`:
                // the block runs here, the closure it yields is offloaded.
                Expr::Block(b) => match b.block.stmts.split_last() {
                    Some((Stmt::Expr(Expr::Closure(c), None), init)) => {
                        self.env.push(HashMap::new());
                        for (i, stmt) in init.iter().enumerate() {
                            self.stmt(stmt, Usage::Dropped, &init[i + 1..]);
                        }
                        self.offloaded_closure(c);
                        self.env.pop();
                    }
                    _ => self.expr(arg, Usage::Passed),
                },
                other => self.expr(other, Usage::Passed),
            }
        }
    }

    /// The arguments of a `block_on` call: inside an offloaded closure, the
    /// future it is given runs on that same thread.
    fn block_on_args<'e>(&mut self, args: impl Iterator<Item = &'e Expr>) {
        let saved = self.driving_offloaded;
        self.driving_offloaded = self.ctx.off_executor();
        args.for_each(|a| self.expr(a, Usage::Passed));
        self.driving_offloaded = saved;
    }

    // ----- calls -----

    fn call(&mut self, c: &syn::ExprCall, usage: Usage) {
        let Expr::Path(p) = &*c.func else {
            self.expr(&c.func, Usage::Other);
            c.args.iter().for_each(|a| self.expr(a, Usage::Passed));
            return;
        };
        let segs = path_segs(&p.path);
        if p.qself.is_some() || (segs.len() == 1 && self.is_var(&segs[0])) {
            c.args.iter().for_each(|a| self.expr(a, Usage::Passed));
            return;
        }
        let resolved = self.reexported(self.res.resolve(
            &segs,
            p.path.leading_colon.is_some(),
            self.self_ty.as_deref(),
        ));
        let start = match (&p.path.leading_colon, p.path.segments.first()) {
            (Some(colons), _) => colons.spans[0],
            (None, Some(first)) => first.ident.span(),
            (None, None) => c.span(),
        };
        let end = c.paren_token.span.close();
        let no_disk = match (&resolved, c.args.first()) {
            (Resolved::Path(path), Some(arg)) => {
                literal_str(arg).is_some_and(|file| catalog::no_disk(path, &file))
            }
            _ => false,
        };
        if usage != Usage::Awaited && !no_disk {
            self.call_io = self.args_io(c.args.iter());
            self.check_path_call(&resolved, &segs, start, end, usage);
            self.call_io = None;
        }
        if self.is_offloader(&resolved) {
            self.args_offloaded(&c.args);
        } else if is_pointer_ctor(&segs) {
            for arg in &c.args {
                match arg {
                    Expr::Closure(cl) => self.stored_closure(cl),
                    other => self.expr(other, Usage::Passed),
                }
            }
        } else if let (Resolved::Path(path), true) = (&resolved, self.ctx == Ctx::Async) {
            // A closure handed to a fn of the code's own may be offloaded by
            // it, when the fn is defined in a file this walk does not see:
            // findings inside say so, and the CLI drops them once it has
            // seen every file's offloaders.
            let owner = (!path.starts_with("std::")).then(|| path.clone());
            for arg in &c.args {
                match (arg, &owner) {
                    (Expr::Closure(cl), Some(owner)) if cl.asyncness.is_none() => {
                        let saved = self.closure_owner.replace(owner.clone());
                        self.closure(cl);
                        self.closure_owner = saved;
                    }
                    _ => self.expr(arg, Usage::Passed),
                }
            }
        } else if segs.last().is_some_and(|l| l == "block_on") {
            self.block_on_args(c.args.iter());
        } else {
            c.args.iter().for_each(|a| self.expr(a, Usage::Passed));
        }
    }

    /// Follows a `pub use` of the code's own modules (`mod sleeper { pub use
    /// std::thread::sleep; }`), a few levels deep at most.
    fn reexported(&self, resolved: Resolved) -> Resolved {
        match resolved {
            Resolved::Path(p) => Resolved::Path(self.model.resolve_path(&p)),
            other => other,
        }
    }

    fn is_offloader(&self, resolved: &Resolved) -> bool {
        let path = match resolved {
            Resolved::Path(p) | Resolved::Unresolved(p) => p,
            Resolved::Glob(c) => match c.first() {
                Some(p) => p,
                None => return false,
            },
        };
        // Any fn called `spawn_blocking` or `block_in_place`, whoever defines
        // it, runs its closure off the executor by name and by convention.
        let by_name = OFFLOADERS
            .iter()
            .any(|o| matches!(o, Offloader::Method(m) if *m == last_segment(path)));
        by_name
            || OFFLOADERS
                .iter()
                .any(|o| matches!(o, Offloader::Path(p) if p == path))
            || self.model.is_offloader(path)
            || self
                .opts
                .config
                .extra_offloaders
                .iter()
                .any(|o| o.trim_start_matches("::") == path)
    }

    fn check_path_call(
        &mut self,
        resolved: &Resolved,
        written: &[String],
        start: Span,
        end: Span,
        usage: Usage,
    ) {
        match resolved {
            Resolved::Path(path) => {
                if let Some(rule) = match_path(path) {
                    self.emit(rule, path, path, start, end, Confidence::Certain, None);
                } else if let Some(extra) = self.extra_blocking(path, false) {
                    self.emit(
                        &catalog::USER_BLOCKING,
                        path,
                        path,
                        start,
                        end,
                        Confidence::Certain,
                        extra,
                    );
                } else if self.model.marked.contains(path) {
                    self.emit(
                        &catalog::USER_BLOCKING,
                        path,
                        path,
                        start,
                        end,
                        Confidence::Certain,
                        None,
                    );
                } else if let Some(rule) = self.model.native_call(path) {
                    self.emit(rule, path, path, start, end, Confidence::Certain, None);
                } else if self.dependency_fact(path, path, start, end) {
                } else if !path.starts_with("std::") && !path.starts_with("tokio::") {
                    self.record_call(path.clone(), written.join("::"), start, end, usage);
                }
            }
            Resolved::Glob(cands) => {
                let hits: Vec<(&'static Rule, &String)> = cands
                    .iter()
                    .filter_map(|c| match_path(c).map(|r| (r, c)))
                    .collect();
                if let Some((rule, path)) = hits.first() {
                    let conf = if cands.len() == 1 {
                        Confidence::Certain
                    } else {
                        Confidence::Likely
                    };
                    self.emit(rule, path, path, start, end, conf, None);
                }
            }
            Resolved::Unresolved(written_path) => {
                if !usage.consumed() {
                    return;
                }
                // The path's head is not in scope (a module-level `use` the
                // attribute cannot see): match by suffix, as likely.
                if let Some((rule, full)) = match_suffix(written_path) {
                    self.emit(rule, full, full, start, end, Confidence::Likely, None);
                } else if let Some(extra) = self.extra_blocking(written_path, true) {
                    self.emit(
                        &catalog::USER_BLOCKING,
                        written_path,
                        written_path,
                        start,
                        end,
                        Confidence::Likely,
                        extra,
                    );
                }
            }
        }
    }

    /// A call the facts file says blocks inside a dependency: reported under
    /// the rule it reaches, with that call in a note. Returns whether `path`
    /// is one.
    fn dependency_fact(&mut self, path: &str, display: &str, start: Span, end: Span) -> bool {
        let Some(fact) = self.opts.config.dependency_facts.get(path) else {
            return false;
        };
        let (rule, via) = (fact.rule, fact.via.clone());
        let before = self.out.findings.len();
        self.emit(rule, path, display, start, end, Confidence::Certain, None);
        if self.out.findings.len() > before {
            if let Some(f) = self.out.findings.last_mut() {
                f.notes
                    .push(format!("inside the dependency it reaches {via}"));
            }
        }
        true
    }

    /// The help of a user-declared blocking path matching `path`.
    fn extra_blocking(&self, path: &str, suffix: bool) -> Option<Option<String>> {
        self.opts.config.extra_blocking.iter().find_map(|x| {
            let declared = x.path.trim_start_matches("::");
            let hit = declared == path
                || (suffix && path.contains("::") && declared.ends_with(&format!("::{path}")));
            hit.then(|| x.help.clone())
        })
    }

    fn record_call(
        &mut self,
        path: String,
        display: String,
        span: Span,
        end_span: Span,
        usage: Usage,
    ) {
        let call = LocalCall {
            path,
            display,
            span,
            end_span,
            awaited: usage == Usage::Awaited,
            hatches: self.allows.iter().map(|(_, i)| *i).collect(),
            io: self.call_io,
            conditional: self.conditional > 0,
        };
        match (self.ctx, self.current_fn) {
            (Ctx::Async, _) => self.out.async_calls.push(call),
            (Ctx::Sync, Some(i)) => self.out.fns[i].calls.push(call),
            _ => {}
        }
    }

    fn method_call(&mut self, m: &syn::ExprMethodCall, usage: Usage) {
        let name = m.method.to_string();
        if name == "set_nonblocking" {
            self.mark_nonblocking(m);
        }
        if usage != Usage::Awaited {
            self.check_method(m, &name, usage);
        }
        let recv_usage = if UNWRAPPERS.contains(&name.as_str()) {
            Usage::Unwrapped
        } else if PASS_THROUGH.contains(&name.as_str()) {
            usage
        } else {
            Usage::Other
        };
        self.expr(&m.receiver, recv_usage);
        let offloads = OFFLOADERS
            .iter()
            .any(|o| matches!(o, Offloader::Method(n) if *n == name))
            || THREAD_SPAWN_METHODS.contains(&name.as_str())
            || self.own_offloader_method(m, &name);
        if offloads {
            self.args_offloaded(&m.args);
        } else if STORING_METHODS.contains(&name.as_str()) {
            for arg in &m.args {
                match arg {
                    Expr::Closure(cl) => self.stored_closure(cl),
                    other => self.expr(other, Usage::Passed),
                }
            }
        } else if name == "block_on" {
            self.block_on_args(m.args.iter());
        } else if ON_SOME_PATHS.contains(&name.as_str()) {
            self.conditionally(|w| m.args.iter().for_each(|a| w.expr(a, Usage::Passed)));
        } else {
            m.args.iter().for_each(|a| self.expr(a, Usage::Passed));
        }
    }

    /// `conn.run(move |c| ..)` where `run` is a method of the code's own type
    /// that offloads its closure parameter: the receiver's type names it.
    fn own_offloader_method(&self, m: &syn::ExprMethodCall, name: &str) -> bool {
        if !m
            .args
            .iter()
            .any(|a| matches!(a, Expr::Closure(_) | Expr::Block(_)))
        {
            return false;
        }
        self.infer(&m.receiver).is_some_and(|ty| {
            self.model
                .is_offloader(&format!("{}::{name}", matchable(&base_type(&ty))))
        })
    }

    /// `sock.set_nonblocking(true)`: from here on the socket's reads and
    /// writes return `WouldBlock` instead of blocking, so its type no longer
    /// matches the rules.
    fn mark_nonblocking(&mut self, m: &syn::ExprMethodCall) {
        let on = matches!(m.args.first(), Some(Expr::Lit(l)) if matches!(&l.lit, syn::Lit::Bool(b) if b.value));
        let Expr::Path(p) = &*m.receiver else { return };
        let Some(var) = p.path.get_ident().map(|i| i.to_string()) else {
            return;
        };
        if let (true, Some(ty)) = (on, self.var_type(&var)) {
            for frame in self.env.iter_mut().rev() {
                if let Some(slot) = frame.get_mut(&var) {
                    *slot = Some(format!("{ty}(nonblocking)"));
                    break;
                }
            }
        }
    }

    fn check_method(&mut self, m: &syn::ExprMethodCall, name: &str, usage: Usage) {
        let start = m.method.span();
        let end = m.paren_token.span.close();
        if name == "open"
            && m.args
                .first()
                .and_then(literal_str)
                .is_some_and(|file| catalog::no_disk("std::fs::OpenOptions::open", &file))
        {
            return;
        }
        let recv_full = self.infer(&m.receiver);
        let recv_io = recv_full.as_deref().and_then(io_kind);
        let recv_ty = recv_full.as_deref().map(|t| matchable(t).to_owned());
        if self.generic_io_use(name, recv_full.as_deref(), recv_io, start, end, &m.receiver) {
            return;
        }
        self.call_io = recv_io.or_else(|| self.args_io(m.args.iter()));
        let recorded = self.check_typed_method(m, name, recv_ty.as_deref(), start, end, usage);
        self.call_io = None;
        if recorded {
            return;
        }
        self.check_method_matchers(m, name, &recv_ty, start, end, usage);
    }

    /// I/O through a value whose type says what it reads from: a generic
    /// parameter's (recorded in the fn's summary, for its callers to decide)
    /// or a library type built over a file or socket (`csv::Reader(io=fs)`:
    /// its reads and the iteration of its records block). Returns whether
    /// the call was dealt with.
    fn generic_io_use(
        &mut self,
        name: &str,
        recv: Option<&str>,
        recv_io: Option<IoKind>,
        start: Span,
        end: Span,
        receiver: &Expr,
    ) -> bool {
        let moves_bytes = IO_METHODS.contains(&name) || CONSUMERS.contains(&name);
        if !moves_bytes {
            return false;
        }
        let display = format!("{}.{name}()", short(receiver));
        match recv_io {
            Some(IoKind::Generic) => {
                self.note_generic_io(&display, start);
                true
            }
            // A std type the catalog knows (`File`) is matched by its rules.
            Some(kind) if recv.is_some_and(|t| t.contains("(io=")) => {
                if let (Some(rule), Some(ty)) = (kind.rule(), recv) {
                    let call = format!("{}::{name}", base_type(ty));
                    self.emit(rule, &call, &display, start, end, Confidence::Certain, None);
                }
                true
            }
            // An untyped value inside code generic over I/O: most likely
            // the parameter itself, behind a field or a local.
            None if recv.is_none()
                && IO_METHODS.contains(&name)
                && !self.io_generics.is_empty() =>
            {
                self.note_generic_io(&display, start);
                false
            }
            _ => false,
        }
    }

    fn note_generic_io(&mut self, display: &str, span: Span) {
        if let (Ctx::Sync, Some(i)) = (self.ctx, self.current_fn) {
            let f = &mut self.out.fns[i];
            if f.generic_io.is_none() {
                f.generic_io = Some((display.to_owned(), span));
            }
        }
    }

    /// What a call into another crate (read or not) is given to read from,
    /// if anything.
    fn io_of_extern_call<'e>(
        &self,
        path: &str,
        args: impl Iterator<Item = &'e Expr>,
    ) -> Option<IoKind> {
        if path.starts_with("crate::") {
            None
        } else {
            self.args_io(args)
        }
    }

    /// What the first I/O value among `args` reads from.
    fn args_io<'e>(&self, args: impl Iterator<Item = &'e Expr>) -> Option<IoKind> {
        let mut found = None;
        for a in args {
            match self.infer(a).as_deref().and_then(io_kind) {
                // A concrete kind decides over a generic one.
                Some(IoKind::Generic) => found = found.or(Some(IoKind::Generic)),
                Some(k) => return Some(k),
                None => {}
            }
        }
        found
    }

    /// Calls of methods the code marked, or declared blocking, or of the
    /// crate's or a dependency's own types; returns whether it reported one.
    fn check_typed_method(
        &mut self,
        m: &syn::ExprMethodCall,
        name: &str,
        recv_ty: Option<&str>,
        start: Span,
        end: Span,
        usage: Usage,
    ) -> bool {
        if let Some(ty) = recv_ty {
            let path = format!("{ty}::{name}");
            if self.model.marked.contains(&path) {
                let display = format!("{}.{name}()", short(&m.receiver));
                self.emit(
                    &catalog::USER_BLOCKING,
                    &path,
                    &display,
                    start,
                    end,
                    Confidence::Certain,
                    None,
                );
                return true;
            }
            if let Some(extra) = self.extra_blocking(&path, false) {
                let display = format!("{}.{name}()", short(&m.receiver));
                self.emit(
                    &catalog::USER_BLOCKING,
                    &path,
                    &display,
                    start,
                    end,
                    Confidence::Certain,
                    extra,
                );
                return true;
            }
            let display = format!("{}.{name}()", short(&m.receiver));
            if self.dependency_fact(&path, &display, start, end) {
                return true;
            }
            // A method of the crate's own type, or of a dependency's (read
            // from its source): the transitive closure decides if it blocks.
            if ty.starts_with("crate::") || self.model.is_extern(ty) {
                self.record_call(
                    path,
                    format!("{}.{name}()", short(&m.receiver)),
                    start,
                    end,
                    usage,
                );
            }
        }
        false
    }

    /// The catalog's method rules.
    fn check_method_matchers(
        &mut self,
        m: &syn::ExprMethodCall,
        name: &str,
        recv_ty: &Option<String>,
        start: Span,
        end: Span,
        usage: Usage,
    ) {
        // A wait of at most a millisecond is a poll (`try_recv` with a
        // grace period), not a stall of the executor.
        if name == "recv_timeout" && m.args.first().is_some_and(is_poll_timeout) {
            return;
        }
        let nargs = m.args.len();
        for (rule, matcher) in method_matchers(name) {
            let Matcher::Method {
                args, types, shape, ..
            } = matcher
            else {
                continue;
            };
            if args.is_some_and(|n| n != nargs) {
                continue;
            }
            let mut_conn =
                matches!(m.args.first(), Some(Expr::Reference(r)) if r.mutability.is_some());
            if *types == MUT_CONN && !mut_conn {
                continue;
            }
            let confidence = match (&recv_ty, shape) {
                // Names no async API uses: whatever the receiver.
                (_, Shape::Always) if types.is_empty() => Some(Confidence::Certain),
                (Some(ty), _)
                    if LIKELY_TYPES.contains(&ty.as_str()) && types.contains(&ty.as_str()) =>
                {
                    Some(Confidence::Likely)
                }
                (Some(ty), _) if types.contains(&ty.as_str()) => Some(Confidence::Certain),
                (Some(_), _) => None,
                (None, Shape::Always) => Some(Confidence::Likely),
                (None, Shape::Consumed) if usage.consumed() => Some(Confidence::Likely),
                _ => None,
            };
            if let Some(confidence) = confidence {
                let call = match &recv_ty {
                    Some(ty) if types.contains(&ty.as_str()) => {
                        format!("{ty}::{name}")
                    }
                    _ => format!(".{name}()"),
                };
                let display = format!("{}.{name}()", short(&m.receiver));
                self.emit(rule, &call, &display, start, end, confidence, None);
                return;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        rule: &'static Rule,
        call: &str,
        display: &str,
        span: Span,
        end_span: Span,
        confidence: Confidence,
        help: Option<String>,
    ) {
        let level = self.opts.config.level(rule);
        if level == Level::Allow || self.opts.config.call_allowed(call) {
            return;
        }
        if self.in_poll_fn && confidence == Confidence::Likely {
            return;
        }
        match self.ctx {
            Ctx::Offloaded | Ctx::Deferred => {}
            // A helper's guess would become a certain finding at every
            // async call site: only calls the walker is sure of make a sync
            // fn blocking (an untyped `.send()` may be an unbounded channel's).
            Ctx::Sync if confidence == Confidence::Likely => {}
            Ctx::Sync => {
                if let Some(i) = self.current_fn {
                    if !self.allows.iter().any(|(a, _)| a.covers(rule)) {
                        self.out.fns[i].blocking.push(BlockingCall {
                            call: call.to_owned(),
                            rule,
                            span,
                            conditional: self.conditional > 0,
                        });
                    }
                }
            }
            Ctx::Async => {
                if let Some((_, idx)) = self.allows.iter().rev().find(|(a, _)| a.covers(rule)) {
                    self.out.hatches[*idx].used = true;
                    return;
                }
                self.out.findings.push(Finding {
                    rule,
                    call: call.to_owned(),
                    display: display.to_owned(),
                    span,
                    end_span,
                    confidence,
                    level,
                    help: help.unwrap_or_else(|| rule.help.to_owned()),
                    notes: Vec::new(),
                    chain: Vec::new(),
                    inside_closure_of: self.closure_owner.clone(),
                });
            }
        }
    }

    // ----- macros -----

    /// Reports a blocking macro (`crossbeam_channel::select!`, `writeln!` to
    /// a file) at its path.
    pub(crate) fn emit_at(
        &mut self,
        rule: &'static Rule,
        call: &str,
        display: &str,
        span: Span,
        end: Span,
        confidence: Confidence,
    ) {
        self.emit(rule, call, display, span, end, confidence, None);
    }

    pub(crate) fn type_of(&self, e: &Expr) -> Option<String> {
        self.infer(e)
    }

    fn mac(&mut self, mac: &syn::Macro, usage: Usage) {
        crate::macros::walk_macro(self, mac, usage);
    }

    // ----- local variables and types -----

    fn is_var(&self, name: &str) -> bool {
        self.env.iter().rev().any(|f| f.contains_key(name))
    }

    fn var_type(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .rev()
            .find_map(|f| f.get(name))
            .cloned()
            .flatten()
    }

    fn bind(&mut self, name: &str, ty: Option<String>) {
        if let Some(frame) = self.env.last_mut() {
            frame.insert(name.to_owned(), ty);
        }
    }

    pub(crate) fn bind_pat(&mut self, pat: &Pat, ty: Option<String>) {
        match pat {
            Pat::Ident(i) => {
                self.bind(&i.ident.to_string(), ty);
                if let Some((_, sub)) = &i.subpat {
                    self.bind_pat(sub, None);
                }
            }
            Pat::Type(t) => {
                let ty = self.resolve_type(&t.ty).or(ty);
                self.bind_pat(&t.pat, ty);
            }
            Pat::Reference(r) => self.bind_pat(&r.pat, ty),
            Pat::Paren(p) => self.bind_pat(&p.pat, ty),
            Pat::Tuple(t) => t.elems.iter().for_each(|p| self.bind_pat(p, None)),
            // `State(state): State<AppState>`: the type peels to the inner
            // value, which a one-field pattern binds.
            Pat::TupleStruct(t) if t.elems.len() == 1 => self.bind_pat(&t.elems[0], ty),
            Pat::TupleStruct(t) => t.elems.iter().for_each(|p| self.bind_pat(p, None)),
            Pat::Slice(s) => s.elems.iter().for_each(|p| self.bind_pat(p, None)),
            Pat::Struct(s) => s.fields.iter().for_each(|f| self.bind_pat(&f.pat, None)),
            Pat::Or(o) => o.cases.iter().for_each(|p| self.bind_pat(p, None)),
            _ => {}
        }
    }

    /// Binds a pattern matched against `init`, with the types the code
    /// names: `let (tx, rx) = channel()`, `if let Ok((sock, _)) = l.accept()`,
    /// `match File::open(p) { Ok(f) => .. }`.
    fn bind_local(&mut self, pat: &Pat, init: Option<&Expr>) {
        let Some(init) = init else {
            return self.bind_pat(pat, None);
        };
        match pat {
            Pat::TupleStruct(ts) if ts.elems.len() == 1 && is_wrapping_variant(&ts.path) => {
                self.bind_local(&ts.elems[0], Some(init));
            }
            Pat::Tuple(t) => match self.tuple_types(init) {
                Some(types) if t.elems.len() == types.len() => {
                    for (p, ty) in t.elems.iter().zip(types) {
                        self.bind_pat(p, Some((*ty).to_owned()));
                    }
                }
                _ => self.bind_pat(pat, None),
            },
            _ => {
                let ty = self.infer(init);
                self.bind_pat(pat, ty);
            }
        }
    }

    /// The element types of a call that returns a tuple the catalog knows:
    /// a channel constructor, or `listener.accept()?`.
    fn tuple_types(&self, init: &Expr) -> Option<&'static [&'static str]> {
        let key = match init {
            Expr::Call(c) => self.call_path(c)?,
            Expr::MethodCall(m) if SAME_TYPE.contains(&m.method.to_string().as_str()) => {
                return self.tuple_types(&m.receiver);
            }
            Expr::MethodCall(m) => {
                format!("{}::{}", base_type(&self.infer(&m.receiver)?), m.method)
            }
            Expr::Try(t) => return self.tuple_types(&t.expr),
            Expr::Await(_) => return None,
            _ => return None,
        };
        TUPLE_RETURNS
            .iter()
            .find(|(p, _)| *p == key)
            .map(|(_, t)| *t)
    }

    fn call_path(&self, c: &syn::ExprCall) -> Option<String> {
        let Expr::Path(p) = &*c.func else {
            return None;
        };
        let segs = path_segs(&p.path);
        let resolved = self.res.resolve(
            &segs,
            p.path.leading_colon.is_some(),
            self.self_ty.as_deref(),
        );
        match self.reexported(resolved) {
            Resolved::Path(s) => Some(s),
            Resolved::Glob(c) if c.len() == 1 => c.into_iter().next(),
            // Several globs: the candidate the catalog knows.
            Resolved::Glob(c) => c.into_iter().find(|p| {
                RETURN_TYPES.iter().any(|(k, _)| k == p)
                    || TUPLE_RETURNS.iter().any(|(k, _)| k == p)
                    || match_path(p).is_some()
            }),
            Resolved::Unresolved(_) => None,
        }
    }

    /// The item type of an iterator the catalog knows (`listener.incoming()`).
    fn item_type(&self, e: &Expr) -> Option<String> {
        let key = match e {
            Expr::MethodCall(m) => format!("{}::{}", self.infer(&m.receiver)?, m.method),
            Expr::Call(c) => self.call_path(c)?,
            Expr::Try(t) => return self.item_type(&t.expr),
            _ => return None,
        };
        ITEM_TYPES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| (*t).to_owned())
    }

    /// The resolved path of a type, looking through references and smart pointers.
    fn resolve_type(&self, ty: &Type) -> Option<String> {
        let t = TypeRef::from_syn(ty);
        resolve_type_ref(
            &t,
            &|segs, leading_colon| match self.reexported(self.res.resolve(
                segs,
                leading_colon,
                self.self_ty.as_deref(),
            )) {
                Resolved::Path(p) => Some(p),
                Resolved::Glob(c) if c.len() == 1 => c.into_iter().next(),
                _ => None,
            },
            &|p| self.model.aliases.get(p).cloned(),
        )
    }

    /// The type of an expression, when the code names it.
    fn infer(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
                let name = p.path.segments[0].ident.to_string();
                self.var_type(&name)
            }
            Expr::Call(c) => {
                let path = self.call_path(c)?;
                if let Some((_, ty)) = RETURN_TYPES.iter().find(|(p, _)| *p == path) {
                    return Some((*ty).to_owned());
                }
                if let Some(ty) = self.model.fn_return(&path) {
                    // A dependency's value built over a file or socket reads
                    // from it. The code's own types need no mark: their
                    // methods are walked, and a summary that reads a file
                    // blocks whatever the receiver.
                    return Some(match self.io_of_extern_call(&path, c.args.iter()) {
                        Some(k) => with_io(ty, k),
                        None => ty,
                    });
                }
                let (parent, last) = path.rsplit_once("::")?;
                let parent_last = parent.rsplit("::").next()?;
                if WRAPPERS.contains(&parent_last) && last == "new"
                    || last == "clone" && WRAPPERS.contains(&parent_last)
                {
                    return c.args.first().and_then(|a| self.infer(a));
                }
                if CONSTRUCTORS.contains(&last)
                    && parent_last.starts_with(|ch: char| ch.is_ascii_uppercase())
                {
                    return Some(match self.io_of_extern_call(&path, c.args.iter()) {
                        Some(k) => with_io(parent.to_owned(), k),
                        None => parent.to_owned(),
                    });
                }
                None
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let recv = self.infer(&m.receiver);
                if let Some(inner) = recv.as_deref().and_then(inner_of) {
                    if GUARD_METHODS.contains(&name.as_str()) {
                        return Some(inner.to_owned());
                    }
                }
                if SAME_TYPE.contains(&name.as_str()) {
                    return recv;
                }
                let recv = recv?;
                let key = format!("{}::{name}", base_type(&recv));
                if let Some((_, ty)) = RETURN_TYPES.iter().find(|(p, _)| *p == key) {
                    return Some((*ty).to_owned());
                }
                if let Some(ty) = self.model.fn_return(&key) {
                    // What a reader over a file hands out (its records, an
                    // iterator) reads from the same file.
                    return Some(
                        match io_kind(&recv).or_else(|| self.io_of_extern_call(&key, m.args.iter()))
                        {
                            Some(k) => with_io(ty, k),
                            None => ty,
                        },
                    );
                }
                let builder = BUILDERS.iter().find(|(t, _)| *t == recv);
                if builder.is_some_and(|(_, ends)| !ends.contains(&name.as_str())) {
                    return Some(recv);
                }
                None
            }
            Expr::Try(t) => self.infer(&t.expr),
            Expr::Struct(s) if s.qself.is_none() => {
                let segs = path_segs(&s.path);
                match self.reexported(self.res.resolve(
                    &segs,
                    s.path.leading_colon.is_some(),
                    self.self_ty.as_deref(),
                )) {
                    Resolved::Path(p) => Some(p),
                    _ => None,
                }
            }
            Expr::Paren(p) => self.infer(&p.expr),
            Expr::Group(g) => self.infer(&g.expr),
            Expr::Reference(r) => self.infer(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.infer(&u.expr),
            Expr::Field(f) => {
                let base = self.infer(&f.base)?;
                let syn::Member::Named(field) = &f.member else {
                    return None;
                };
                self.model.field_type(matchable(&base), &field.to_string())
            }
            _ => None,
        }
    }
}

/// Methods that reach what a lock guards.
const GUARD_METHODS: &[&str] = &[
    "lock",
    "read",
    "write",
    "try_lock",
    "try_read",
    "try_write",
    "blocking_lock",
    "blocking_read",
    "blocking_write",
    "get_mut",
    "into_inner",
];

/// A type without what its lock guards: `std::sync::Mutex` for
/// `std::sync::Mutex(inner=rusqlite::Connection)`; rules match on this.
/// Methods whose closure arguments run only on some paths: after an error
/// (`unwrap_or_else`, `or_else`, `map_err`), or once per process or value
/// (`get_or_init`, `call_once`).
const ON_SOME_PATHS: &[&str] = &[
    "unwrap_or_else",
    "or_else",
    "map_err",
    "ok_or_else",
    "map_or_else",
    "get_or_init",
    "get_or_try_init",
    "get_or_insert_with",
    "or_insert_with",
    "call_once",
    "call_once_force",
];

/// `if config.tls_keylog { .. }`: a branch on a bool option, behaviour a
/// caller opts into.
fn is_flag(cond: &Expr) -> bool {
    match cond {
        Expr::Field(f) => matches!(f.member, syn::Member::Named(_)),
        Expr::Paren(p) => is_flag(&p.expr),
        _ => false,
    }
}

/// `Err(..)`, `None` (and `Err(e) | ..`): an arm for the failure case.
fn is_failure_pat(pat: &Pat) -> bool {
    match pat {
        Pat::TupleStruct(t) => t.path.is_ident("Err"),
        Pat::Ident(i) => i.ident == "None" && i.subpat.is_none(),
        Pat::Path(p) => p.path.is_ident("None"),
        Pat::Or(o) => o.cases.iter().all(is_failure_pat),
        _ => false,
    }
}

/// `if let Ok(v) | Some(v) = fast() { .. return v .. }`: a fast path that
/// returns a value (not an error), so the statements after it run only when
/// it missed.
fn is_fast_path(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::If(i), _) = stmt else {
        return false;
    };
    let Expr::Let(l) = &*i.cond else {
        return false;
    };
    let success = match &*l.pat {
        Pat::TupleStruct(t) => t.path.is_ident("Ok") || t.path.is_ident("Some"),
        _ => false,
    };
    success && i.else_branch.is_none() && returns_value(&i.then_branch)
}

/// Whether a block returns from its fn with a value that is not an error
/// (a `return` outside closures, async blocks and items).
fn returns_value(block: &Block) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            let failure = match r.expr.as_deref() {
                Some(Expr::Call(c)) => {
                    matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Err"))
                }
                Some(Expr::Path(p)) => p.path.is_ident("None"),
                _ => false,
            };
            self.0 |= !failure;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut f = Finder(false);
    syn::visit::Visit::visit_block(&mut f, block);
    f.0
}

fn matchable(ty: &str) -> &str {
    let ty = crate::io::strip_io(ty);
    ty.find("(inner=").map_or(ty, |i| &ty[..i])
}

/// The type parameters of `generics` bounded by an I/O trait, in the
/// parameter list or a `where` clause.
fn io_bounded(generics: &syn::Generics) -> Vec<String> {
    let is_io = |b: &syn::TypeParamBound| match b {
        syn::TypeParamBound::Trait(t) => t
            .path
            .segments
            .last()
            .is_some_and(|s| IO_TRAITS.contains(&s.ident.to_string().as_str())),
        _ => false,
    };
    let mut out: Vec<String> = generics
        .type_params()
        .filter(|p| p.bounds.iter().any(is_io))
        .map(|p| p.ident.to_string())
        .collect();
    if let Some(w) = &generics.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(t) = pred {
                if let (Type::Path(tp), true) = (&t.bounded_ty, t.bounds.iter().any(is_io)) {
                    if let Some(id) = tp.path.get_ident() {
                        out.push(id.to_string());
                    }
                }
            }
        }
    }
    out
}

/// Whether an impl's self type takes one of the I/O type parameters
/// (`impl<R: Read> Reader<R>`).
fn self_io(self_ty: &Type, io_generics: &[String]) -> bool {
    let Type::Path(tp) = self_ty else {
        return false;
    };
    let Some(last) = tp.path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(a) = &last.arguments else {
        return false;
    };
    a.args
        .iter()
        .any(|arg| matches!(arg, syn::GenericArgument::Type(t) if is_generic_io(t, io_generics)))
}

/// Whether a type is an I/O type parameter, `impl Read`, `dyn Write` or a
/// reference or box of one.
fn is_generic_io(ty: &Type, io_generics: &[String]) -> bool {
    let trait_bound =
        |bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>| {
            bounds.iter().any(|b| match b {
                syn::TypeParamBound::Trait(t) => t
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| IO_TRAITS.contains(&s.ident.to_string().as_str())),
                _ => false,
            })
        };
    match ty {
        Type::Reference(r) => is_generic_io(&r.elem, io_generics),
        Type::Paren(p) => is_generic_io(&p.elem, io_generics),
        Type::ImplTrait(t) => trait_bound(&t.bounds),
        Type::TraitObject(t) => trait_bound(&t.bounds),
        Type::Path(tp) if tp.qself.is_none() => {
            if let Some(id) = tp.path.get_ident() {
                return io_generics.iter().any(|g| id == g);
            }
            let Some(last) = tp.path.segments.last() else {
                return false;
            };
            match &last.arguments {
                syn::PathArguments::AngleBracketed(a) if last.ident == "Box" => {
                    a.args.iter().any(|arg| {
                        matches!(arg, syn::GenericArgument::Type(t) if is_generic_io(t, io_generics))
                    })
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// What a lock type guards, if the code says.
fn inner_of(ty: &str) -> Option<&str> {
    let start = ty.find("(inner=")? + "(inner=".len();
    ty.get(start..ty.len().checked_sub(1)?)
}

/// `Ok(x)` and `Some(x)`: the walker does not track `Result` and `Option`,
/// so `x` has the type the matched expression is said to have.
fn is_wrapping_variant(path: &syn::Path) -> bool {
    path.get_ident().is_some_and(|i| i == "Ok" || i == "Some")
}

/// A type without the walker's own annotations: `std::net::TcpListener` for
/// `std::net::TcpListener(nonblocking)`. What a non-blocking listener
/// accepts is an ordinary, blocking socket.
fn base_type(ty: &str) -> String {
    ty.split_once('(').map_or(ty, |(base, _)| base).to_owned()
}

/// The catalog rule whose path or prefix matcher matches `path`.
fn match_path(path: &str) -> Option<&'static Rule> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Rule>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for &r in RULES {
            for m in r.matchers {
                if let Matcher::Path(p) = m {
                    map.entry(*p).or_insert(r);
                }
            }
        }
        map
    });
    if let Some(r) = index.get(path) {
        return Some(r);
    }
    RULES.iter().copied().find(|r| {
        r.matchers.iter().any(|m| match m {
            Matcher::Prefix(p) => crate::config::path_has_prefix(path, p),
            _ => false,
        })
    })
}

/// The method matchers of each method name, in catalog order.
fn method_matchers(name: &str) -> &'static [(&'static Rule, &'static Matcher)] {
    static INDEX: OnceLock<HashMap<&'static str, Vec<(&'static Rule, &'static Matcher)>>> =
        OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map: HashMap<&'static str, Vec<_>> = HashMap::new();
        for &r in RULES {
            for m in r.matchers {
                if let Matcher::Method { name, .. } = m {
                    map.entry(*name).or_default().push((r, m));
                }
            }
        }
        map
    });
    index.get(name).map(Vec::as_slice).unwrap_or(&[])
}

/// Single-segment names distinctive enough to match without a `use` in sight.
const BARE_NAMES: &[&str] = &["sleep"];

/// A catalog path that ends with `written` (at a segment boundary).
fn match_suffix(written: &str) -> Option<(&'static Rule, &'static str)> {
    if !written.contains("::") && !BARE_NAMES.contains(&written) {
        return None;
    }
    let tail = format!("::{written}");
    RULES.iter().copied().find_map(|r| {
        r.matchers.iter().find_map(|m| match m {
            Matcher::Path(p) if p.ends_with(&tail) && p.starts_with("std::") => Some((r, *p)),
            _ => None,
        })
    })
}

/// Path segments without generic arguments.
pub(crate) fn path_segs(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn pat_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// Whether the attributes mark test code: `#[cfg(test)]`, `#[test]`,
/// `#[tokio::test]`, `#[async_std::test]`, `#[actix_rt::test]`, ...
fn is_test_code(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let path = a.path();
        if path.is_ident("cfg") {
            return a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test");
        }
        path.segments.last().is_some_and(|s| s.ident == "test")
    })
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Fn(x) => &x.attrs,
        Item::Mod(x) => &x.attrs,
        Item::Impl(x) => &x.attrs,
        Item::Trait(x) => &x.attrs,
        Item::Const(x) => &x.attrs,
        Item::Static(x) => &x.attrs,
        _ => &[],
    }
}

/// A short rendering of a receiver for messages: `rx`, `self.rx`, or `..`.
fn short(e: &Expr) -> String {
    let text = e
        .to_token_stream()
        .to_string()
        .replace(" . ", ".")
        .replace(" :: ", "::");
    let text = text.replace("( )", "()").replace(" (", "(");
    if text.len() <= 32 && !text.contains('\n') {
        text
    } else {
        "..".to_owned()
    }
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// Whether the closure bound to `name` is handed to an offloader by name in
/// `rest`: `let job = || ..; spawn_blocking(job)`.
fn offloaded_later(rest: &[Stmt], name: &str, offloaders: &HashSet<String>) -> bool {
    offloaded_names_in(rest, offloaders).contains(name)
}

/// Names handed to an offloader as plain arguments in these statements.
fn offloaded_names_in(stmts: &[Stmt], offloaders: &HashSet<String>) -> HashSet<String> {
    struct Finder<'a> {
        offloaders: &'a HashSet<String>,
        names: HashSet<String>,
    }
    impl Finder<'_> {
        fn args<'e>(&mut self, callee: &syn::Ident, args: impl Iterator<Item = &'e Expr> + Clone) {
            // Stringify the callee only when an argument is a bare name.
            let mut names = args.filter_map(|a| match a {
                Expr::Path(p) => p.path.get_ident(),
                _ => None,
            });
            let Some(first) = names.next() else { return };
            if !self.offloaders.contains(&callee.to_string()) {
                return;
            }
            for id in std::iter::once(first).chain(names) {
                self.names.insert(id.to_string());
            }
        }
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let Expr::Path(p) = &*c.func {
                if let Some(last) = p.path.segments.last() {
                    self.args(&last.ident, c.args.iter());
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            self.args(&m.method, m.args.iter());
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    let mut f = Finder {
        offloaders,
        names: HashSet::new(),
    };
    for stmt in stmts {
        f.visit_stmt(stmt);
    }
    f.names
}

/// Methods that keep their argument in a collection rather than run it.
const STORING_METHODS: &[&str] = &["push", "push_back", "push_front", "insert"];

/// `Box::new`, `Arc::new`, `Rc::new`, `Box::pin`: the value is kept, not run.
fn is_pointer_ctor(segs: &[String]) -> bool {
    match segs {
        [.., ty, f] => {
            matches!(ty.as_str(), "Box" | "Arc" | "Rc") && matches!(f.as_str(), "new" | "pin")
        }
        _ => false,
    }
}

/// The closure in `Box::new(|| ..)` (or another pointer constructor).
fn boxed_closure(e: &Expr) -> Option<&syn::ExprClosure> {
    let Expr::Call(c) = e else { return None };
    let Expr::Path(p) = &*c.func else { return None };
    if !is_pointer_ctor(&path_segs(&p.path)) {
        return None;
    }
    match c.args.iter().collect::<Vec<_>>().as_slice() {
        [Expr::Closure(cl)] => Some(cl),
        _ => None,
    }
}

/// Whether `name` is called as a fn in these statements: `name(..)`.
fn called_in(stmts: &[Stmt], name: &str) -> bool {
    struct Finder<'a> {
        name: &'a str,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let Expr::Path(p) = &*c.func {
                if p.path.get_ident().is_some_and(|i| i == self.name) {
                    self.found = true;
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
    }
    let mut f = Finder { name, found: false };
    for stmt in stmts {
        f.visit_stmt(stmt);
    }
    f.found
}

/// The longest `recv_timeout` that still counts as a poll.
const POLL_TIMEOUT_NANOS: u128 = 1_000_000;

/// A `Duration` written as a literal of at most [`POLL_TIMEOUT_NANOS`]:
/// `Duration::from_nanos(1)`, `Duration::from_millis(1)`, `Duration::ZERO`.
/// The value of a string literal argument (`"/dev/tty"`, `&"/proc/x"`).
fn literal_str(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        Expr::Reference(r) => literal_str(&r.expr),
        Expr::Paren(p) => literal_str(&p.expr),
        _ => None,
    }
}

fn is_poll_timeout(e: &Expr) -> bool {
    literal_nanos(e).is_some_and(|n| n <= POLL_TIMEOUT_NANOS)
}

fn literal_nanos(e: &Expr) -> Option<u128> {
    let int = |e: &Expr| match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_parse::<u128>().ok(),
        _ => None,
    };
    match e {
        Expr::Paren(p) => literal_nanos(&p.expr),
        Expr::Group(g) => literal_nanos(&g.expr),
        Expr::Reference(r) => literal_nanos(&r.expr),
        Expr::Path(p) => {
            let segs = path_segs(&p.path);
            matches!(segs.as_slice(), [.., ty, c] if ty == "Duration" && c == "ZERO").then_some(0)
        }
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else { return None };
            let segs = path_segs(&p.path);
            let [.., ty, f] = segs.as_slice() else {
                return None;
            };
            if ty != "Duration" {
                return None;
            }
            let args: Vec<&Expr> = c.args.iter().collect();
            let unit: u128 = match f.as_str() {
                "from_nanos" => 1,
                "from_micros" => 1_000,
                "from_millis" => 1_000_000,
                "from_secs" => 1_000_000_000,
                "new" => {
                    let [secs, nanos] = args.as_slice() else {
                        return None;
                    };
                    return Some(int(secs)? * 1_000_000_000 + int(nanos)?);
                }
                _ => return None,
            };
            match args.as_slice() {
                [n] => int(n)?.checked_mul(unit),
                _ => None,
            }
        }
        _ => None,
    }
}
