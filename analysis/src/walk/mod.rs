//! The walker: finds catalog calls in async context.
//!
//! Without types, the walker reads the shape of the code. A call's result is
//! classified by its [`Usage`]: a future is awaited, passed on or stored; a
//! blocking API's result is unwrapped, `?`-ed, matched, iterated or dropped.
//! Local variables carry a type when the code names one (a parameter's type,
//! `let x: T`, `T::new(..)`, a channel constructor), which makes a method
//! match certain; otherwise only rules whose shape says so match, as likely.

use crate::catalog::{
    self, BLOCKING_ITERABLES, BUILDERS, Confidence, ITEM_TYPES, LIKELY_TYPES, Level, Matcher,
    OFFLOADERS, Offloader, RETURN_TYPES, RULES, Rule, Shape, THREAD_SPAWN_METHODS, TUPLE_RETURNS,
};
use crate::hatch::{Allow, expr_attrs, is_hatch, parse_hatch};
use crate::io::{ADDR_TRAITS, Addr, CONSUMERS, IO_METHODS, IO_TRAITS, IoKind};
use crate::model::{CrateModel, TypeRef, WRAPPERS, resolve_type_ref};
use crate::resolve::{Resolved, Resolver, Scope};
use crate::ty::Ty;
use crate::{
    Analysis, BlockingCall, Construction, Finding, FnSummary, HatchUse, LocalCall, Options,
    last_segment,
};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use proc_macro2::Span;
use quote::ToTokens;
use std::sync::OnceLock;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Attribute, Block, Expr, FnArg, ImplItem, Item, Pat, Signature, Stmt, TraitItem, Type};

mod calls;
mod env;
mod infer;
mod macros;
mod matching;
mod paths;
mod prepass;

use infer::{bounded_by, is_generic_over, self_io};
use matching::{match_path, match_suffix, method_matchers};
use paths::{
    ON_SOME_PATHS, ONE_TIME, is_failure_pat, is_fast_path, is_field, is_flag, is_setting_present,
    is_some_pat, returns,
};
use prepass::{STORING_METHODS, boxed_closure, called_in, is_pointer_ctor, offloaded_later};

/// How the value of an expression is used by its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Usage {
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
    res: Resolver<'a>,
    /// Local variables, innermost frame last; the value is the variable's type when known.
    env: Vec<HashMap<String, Option<Ty>>>,
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
    /// Last segments of every known offloader, for the by-name pre-scans:
    /// built when a statement first needs it (`let job = || ..;`), as a
    /// crate's offloaders are many and most files never ask.
    offloader_names: std::cell::OnceCell<HashSet<String>>,
    /// Inside a hand-written `poll`: nothing there is awaited, so the shape
    /// of a call says nothing, and only certain matches count.
    in_poll_fn: bool,
    /// The fn that receives the closure being walked, when that fn may be an
    /// offloader defined elsewhere.
    closure_owner: Option<String>,
    /// While a `for` loop's iteration is checked: how many calls were
    /// recorded before its expression was walked.
    made_from: Option<usize>,
    /// Type parameters in scope bounded by an I/O trait (`R: Read`).
    io_generics: Vec<String>,
    /// Type parameters in scope bounded by `ToSocketAddrs`.
    addr_generics: Vec<String>,
    /// Whether `self` of the enclosing impl is generic over I/O
    /// (`impl<R: Read> Reader<R>`).
    self_io: bool,
    /// What the I/O values of the call being checked read from.
    call_io: Option<IoKind>,
    /// What the addresses given to the call being checked hold.
    call_addr: Addr,
    /// What the arguments of the call being checked say of the callee's
    /// optional parameters (`None`, `Some(..)`, its own parameters handed on).
    call_args: calls::ArgFacts,
    /// The call being checked is written as a path call.
    call_by_path: bool,
    /// The call recorded is another way the one before it may go.
    call_alt: bool,
    /// The parameters of the fn walked (by position, `self` not counted).
    fn_params: Vec<String>,
    /// The parameters that gate the code walked (see [`BlockingCall::gates`]).
    gates: u64,
    /// The parameters the code walked runs only without (see
    /// [`BlockingCall::ungates`]).
    ungates: u64,
    /// The enum variants of parameters the code walked runs only with (see
    /// [`LocalCall::arms`]).
    arms: Vec<(u8, Vec<String>)>,
    /// The async fn whose own body is walked (see [`Finding::async_fn`]).
    async_fn: Option<String>,
    /// Inside a future handed to another executor's loop (see
    /// [`Analysis::foreign_calls`]).
    foreign: u32,
    /// The types of blocks stored in a variable (`let rx = { ..; rx };`),
    /// by the block's address: their tail's names are out of scope once
    /// the block is walked.
    block_types: HashMap<usize, Ty>,
    /// The Rayon chains already reported, by the address of their source
    /// method's name (see `rayon_consumer`).
    par_chains: HashSet<usize>,
    /// Parameters a statement just walked tested (`let Some(r) = role
    /// else { return .. };`): the rest of its block runs only with them.
    gates_rest: u64,
    /// How many branches taken only on some paths enclose the code walked
    /// (see [`LocalCall::conditional`]).
    conditional: u32,
    /// The next block walked is the body of a `loop` or a `while`.
    loop_body: bool,
    /// What the next closure walked is given, by position: each item of
    /// the iterator or collection whose method takes it
    /// (`list.iter().for_each(|k| ..)`), or what the fn it is handed to
    /// declares (`fn with_conn(f: impl FnOnce(&mut Connection))`).
    closure_given: Option<Vec<Option<Ty>>>,
    /// How many test items (`#[cfg(test)]`, `#[test]`) enclose the code walked.
    in_test: u32,
    /// How many branches a test build skips enclose the code walked (see
    /// [`LocalCall::not_in_tests`]).
    not_in_tests: u32,
    /// How many branches on an optional setting enclose the code walked
    /// (see [`LocalCall::opt_in`]).
    opt_in: u32,
    /// Locals of the fn walked that hold an optional environment variable's
    /// value (see [`env`]).
    env_locals: HashSet<String>,
    /// The `let` just walked binds an optional environment variable and
    /// returns when it is unset.
    env_gate: bool,
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
            made_from: None,
            in_poll_fn: false,
            io_generics: Vec::new(),
            addr_generics: Vec::new(),
            self_io: false,
            call_io: None,
            call_addr: Addr::Name,
            call_args: calls::ArgFacts::default(),
            call_by_path: false,
            call_alt: false,
            fn_params: Vec::new(),
            gates: 0,
            ungates: 0,
            arms: Vec::new(),
            async_fn: None,
            foreign: 0,
            block_types: HashMap::new(),
            gates_rest: 0,
            par_chains: HashSet::new(),
            conditional: 0,
            loop_body: false,
            closure_given: None,
            in_test: 0,
            not_in_tests: 0,
            opt_in: 0,
            env_locals: HashSet::new(),
            env_gate: false,
            offloader_names: std::cell::OnceCell::new(),
            out: Analysis::default(),
        }
    }

    fn offloader_names(&self) -> &HashSet<String> {
        self.offloader_names.get_or_init(|| {
            OFFLOADERS
                .iter()
                .map(|o| match o {
                    Offloader::Path(p) => last_segment(p),
                    Offloader::Method(m) => m,
                })
                .chain(
                    self.opts
                        .config
                        .extra_offloaders
                        .iter()
                        .map(|p| last_segment(p)),
                )
                .chain(self.model.offloaders.iter().map(|p| last_segment(p)))
                .map(str::to_owned)
                .collect()
        })
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
        // A file that is a test module (`#![cfg(test)]`, or declared so by
        // its parent) is test code throughout.
        let test = self.opts.test_module || is_test_code(&file.attrs);
        if self.opts.config.skip_tests && test {
            return self.finish();
        }
        self.in_test += u32::from(test);
        let module = self.module_path();
        self.res.push(Scope::from_model(&module, self.model));
        self.with_hatches(&file.attrs, |w| w.items(&file.items, &module));
        self.res.pop();
        self.in_test -= u32::from(test);
        self.finish()
    }

    fn finish(mut self) -> Analysis {
        self.out.offloaders = self.model.sorted_offloaders();
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
        let test = is_test_code(item_attrs(item));
        if self.opts.config.skip_tests && test {
            return;
        }
        self.in_test += u32::from(test);
        self.item_inner(item, module);
        self.in_test -= u32::from(test);
    }

    fn item_inner(&mut self, item: &Item, module: &str) {
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
                self.io_generics.extend(bounded_by(&i.generics, IO_TRAITS));
                let addr_before = self.addr_generics.len();
                self.addr_generics
                    .extend(bounded_by(&i.generics, ADDR_TRAITS));
                let saved_self_io =
                    std::mem::replace(&mut self.self_io, self_io(&i.self_ty, &self.io_generics));
                self.with_hatches(&i.attrs, |w| {
                    for it in &i.items {
                        if let ImplItem::Fn(f) = it {
                            let test = is_test_code(&f.attrs);
                            if w.opts.config.skip_tests && test {
                                continue;
                            }
                            w.in_test += u32::from(test);
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
                            w.in_test -= u32::from(test);
                        }
                    }
                });
                self.io_generics.truncate(io_before);
                self.addr_generics.truncate(addr_before);
                self.self_io = saved_self_io;
                self.self_ty = saved;
            }
            Item::Trait(t) => {
                let trait_path = format!("{module}::{}", t.ident);
                let saved = self.self_ty.replace(trait_path.clone());
                self.with_hatches(&t.attrs, |w| {
                    for it in &t.items {
                        if let TraitItem::Fn(f) = it {
                            let path = format!("{trait_path}::{}", f.sig.ident);
                            let before = w.out.fns.len();
                            if let Some(body) = &f.default {
                                w.func(&f.attrs, &f.sig, body, path.clone());
                            }
                            w.dispatch(&trait_path, &f.sig, path, before);
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

    /// A sync trait method called on a `dyn Trait` (or `impl Trait`) runs
    /// the crate's impl of it when the crate has one (test doubles under
    /// `#[cfg(test)]` aside): its summary (`Trait::method`, the default
    /// body's when there is one) calls that impl's method, so a `Box<dyn
    /// Store>` whose one impl writes a database blocks.
    fn dispatch(&mut self, trait_path: &str, sig: &Signature, path: String, before: usize) {
        if sig.asyncness.is_some() {
            return;
        }
        let name = sig.ident.to_string();
        let impls = self.model.impls_of(trait_path, &name);
        // Several impls (an SMTP, a sendmail and a file transport): which
        // one a value holds is not followed, and the worst of them would
        // name every call; only the one impl the code has is certain.
        if impls.len() != 1 {
            return;
        }
        let span = sig.ident.span();
        let calls = impls.into_iter().map(|p| {
            let display = crate::transitive::short_name(&p).to_owned();
            LocalCall::plain(p, display, span)
        });
        if self.out.fns.len() > before {
            self.out.fns[before].calls.extend(calls);
        } else {
            self.out.fns.push(FnSummary {
                path,
                span,
                marked: false,
                allowed: false,
                blocking: Vec::new(),
                calls: calls.collect(),
                generic_io: None,
                generic_addr: None,
                has_self: sig.receiver().is_some(),
            });
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
        // A `#[cold]` fn is one its authors say is rarely called (an error
        // path, a one-time initialisation such as getrandom's opening of
        // `/dev/urandom` where the system call is missing): none of its
        // calls is made on every path through its callers.
        let cold = attrs.iter().any(|a| a.path().is_ident("cold"));
        let saved_conditional = std::mem::replace(&mut self.conditional, u32::from(cold));
        let saved_opt_in = std::mem::take(&mut self.opt_in);
        let saved_env_locals = std::mem::take(&mut self.env_locals);
        let saved_gates = std::mem::take(&mut self.gates);
        let saved_ungates = std::mem::take(&mut self.ungates);
        let saved_arms = std::mem::take(&mut self.arms);
        let params = sig
            .inputs
            .iter()
            .filter_map(|i| match i {
                FnArg::Typed(pt) => Some(match &*pt.pat {
                    Pat::Ident(id) => id.ident.to_string(),
                    _ => String::new(),
                }),
                FnArg::Receiver(_) => None,
            })
            .collect();
        let saved_params = std::mem::replace(&mut self.fn_params, params);
        let hatch_count = self.allows.len();
        let allowed_fn = self.push_hatches(attrs);
        let saved_poll =
            std::mem::replace(&mut self.in_poll_fn, on_executor && sig.asyncness.is_none());
        let saved_async_fn = std::mem::replace(
            &mut self.async_fn,
            sig.asyncness.is_some().then(|| path.clone()),
        );
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
                generic_addr: None,
                has_self: sig.receiver().is_some(),
            });
            self.current_fn = Some(self.out.fns.len() - 1);
        }
        let saved_owner = self.item_owner.replace(path.clone());
        let io_before = self.io_generics.len();
        self.io_generics
            .extend(bounded_by(&sig.generics, IO_TRAITS));
        let addr_before = self.addr_generics.len();
        self.addr_generics
            .extend(bounded_by(&sig.generics, ADDR_TRAITS));
        self.env.push(HashMap::new());
        for input in &sig.inputs {
            match input {
                FnArg::Receiver(_) => {
                    let ty = self.self_ty.clone().map(Ty::new);
                    let ty = match ty {
                        Some(t) if self.self_io => Some(t.with_io(IoKind::Generic)),
                        t => t,
                    };
                    self.bind("self", ty);
                }
                FnArg::Typed(pt) => {
                    let ty = if is_generic_over(&pt.ty, &self.io_generics, IO_TRAITS) {
                        Some(Ty::generic_io())
                    } else if is_generic_over(&pt.ty, &self.addr_generics, ADDR_TRAITS) {
                        Some(Ty::generic_addr())
                    } else if self.ctx == Ctx::Sync && infer::is_text(&pt.ty) {
                        // `fn connect(target: &str)`: whether resolving
                        // it asks a resolver depends on what the callers
                        // give, an address written out or a host name.
                        Some(Ty {
                            addr: Addr::Generic,
                            ..Ty::new("str")
                        })
                    } else {
                        self.param_type(&pt.ty, &sig.generics)
                    };
                    self.bind_pat(&pt.pat, ty);
                }
            }
        }
        self.block(block, Usage::Returned);
        self.env.pop();
        self.io_generics.truncate(io_before);
        self.addr_generics.truncate(addr_before);
        self.item_owner = saved_owner;
        self.allows.truncate(hatch_count);
        self.in_poll_fn = saved_poll;
        self.conditional = saved_conditional;
        self.opt_in = saved_opt_in;
        self.env_locals = saved_env_locals;
        self.gates = saved_gates;
        self.ungates = saved_ungates;
        self.arms = saved_arms;
        self.async_fn = saved_async_fn;
        self.fn_params = saved_params;
        (self.ctx, self.current_fn) = saved;
    }

    /// The position of the fn's parameter an expression names as it is
    /// (`p`, `&p`, `p.clone()`).
    pub(super) fn param_index(&self, e: &Expr) -> Option<usize> {
        match e {
            Expr::Path(p) if p.qself.is_none() => p
                .path
                .get_ident()
                .and_then(|id| self.fn_params.iter().position(|n| id == n))
                .filter(|&i| i < 64),
            Expr::Reference(r) => self.param_index(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.param_index(&u.expr),
            Expr::Paren(p) => self.param_index(&p.expr),
            Expr::MethodCall(m) if m.method == "clone" && m.args.is_empty() => {
                self.param_index(&m.receiver)
            }
            _ => None,
        }
    }

    /// The parameters a condition needs set: `if let Some(t) = p`, `if p`,
    /// `if p.is_some()`, and either side of `&&` (let chains).
    fn param_gates(&self, cond: &Expr) -> u64 {
        let bit = |e: &Expr| self.param_index(e).map_or(0, |i| 1u64 << i);
        match cond {
            Expr::Let(l) if paths::is_some_pat(&l.pat) => bit(&l.expr),
            Expr::Path(_) => bit(cond),
            Expr::MethodCall(m) if m.method == "is_some" && m.args.is_empty() => bit(&m.receiver),
            Expr::Paren(p) => self.param_gates(&p.expr),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.param_gates(&b.left) | self.param_gates(&b.right)
            }
            _ => 0,
        }
    }

    /// The parameters a condition needs unset: `if p.is_none()`, `if !p`,
    /// and either side of `&&`.
    fn param_ungates(&self, cond: &Expr) -> u64 {
        let bit = |e: &Expr| self.param_index(e).map_or(0, |i| 1u64 << i);
        match cond {
            Expr::MethodCall(m) if m.method == "is_none" && m.args.is_empty() => bit(&m.receiver),
            // `!(a && b)` needs only one of them unset: it says nothing.
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) && one_test(&u.expr) => {
                self.param_gates(&u.expr)
            }
            Expr::Paren(p) => self.param_ungates(&p.expr),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.param_ungates(&b.left) | self.param_ungates(&b.right)
            }
            _ => 0,
        }
    }

    /// `if let Action::Yank = action` (or one side of `&&`) on a
    /// parameter: the branch runs only for those variants.
    fn push_cond_arms(&mut self, cond: &Expr) {
        match cond {
            Expr::Let(l) => {
                if let (Some(i), Some(names)) =
                    (self.param_index(&l.expr), paths::variant_pat(&l.pat))
                {
                    self.arms.push((i as u8, names));
                }
            }
            Expr::Paren(p) => self.push_cond_arms(&p.expr),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.push_cond_arms(&b.left);
                self.push_cond_arms(&b.right);
            }
            _ => {}
        }
    }

    /// What the `else` of a condition on one parameter needs: the
    /// opposite. A condition of several (`a && b`) says nothing of its
    /// `else`. Returns (gates, ungates).
    fn else_gates(&self, cond: &Expr) -> (u64, u64) {
        if !one_test(cond) {
            return (0, 0);
        }
        (self.param_ungates(cond), self.param_gates(cond))
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
        let loop_body = std::mem::take(&mut self.loop_body);
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
        if has_items {
            // A block's consts and statics are in scope in all of it.
            for stmt in &block.stmts {
                let (name, ty) = match stmt {
                    Stmt::Item(Item::Const(c)) => (&c.ident, {
                        match crate::model::lower::const_type(c) {
                            crate::model::TypeRef::AddressLiteral => Some(Ty::address_literal()),
                            _ => self.resolve_type(&c.ty),
                        }
                    }),
                    Stmt::Item(Item::Static(s)) => (&s.ident, self.resolve_type(&s.ty)),
                    _ => continue,
                };
                self.bind(&name.to_string(), ty);
            }
        }
        let last = block.stmts.len().saturating_sub(1);
        let conditional = self.conditional;
        let gates = self.gates;
        let not_in_tests = self.not_in_tests;
        for (i, stmt) in block.stmts.iter().enumerate() {
            let tail = if i == last { usage } else { Usage::Dropped };
            self.stmt(stmt, tail, &block.stmts[i + 1..]);
            // `if let Ok(v) = fast() { return Ok(v) }`: what follows is the
            // fallback, or the miss of a cache.
            // `let v = env::var("X")?;`: the rest runs when it is set.
            let env_gate = std::mem::take(&mut self.env_gate);
            self.gates |= std::mem::take(&mut self.gates_rest);
            // In the body of a `loop` or a `while`, `if let Some(v) =
            // ready() { return Ok(v) }` followed by a wait is the wait
            // itself, done until the thing is ready (rexpect's
            // `read_until` sleeps until its needle is read), not a
            // fallback.
            let fast_path = !loop_body && is_fast_path(stmt);
            if self.conditional == conditional && (fast_path || env_gate) {
                self.conditional += 1;
            }
            // `if cfg!(test) { return .. }`: a test build stops here.
            if self.not_in_tests == not_in_tests && is_test_exit(stmt) {
                self.not_in_tests += 1;
            }
        }
        self.conditional = conditional;
        self.not_in_tests = not_in_tests;
        self.gates = gates;
        if usage == Usage::Stored {
            if let Some(Stmt::Expr(tail, None)) = block.stmts.last() {
                if let Some(ty) = self.infer(tail) {
                    self.block_types
                        .insert(std::ptr::from_ref(block) as usize, ty);
                }
            }
        }
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
                            .is_some_and(|name| offloaded_later(rest, &name, w.offloader_names()));
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
                        // `let Some(r) = role else { .. };` on a parameter:
                        // the `else` runs only without it, the rest of the
                        // block only with it.
                        let param = if is_some_pat(&local.pat) {
                            w.param_index(&init.expr).map_or(0, |i| 1u64 << i)
                        } else {
                            0
                        };
                        let ungates = w.ungates;
                        w.ungates |= param;
                        w.conditionally(|w| w.expr(diverge, Usage::Other));
                        w.ungates = ungates;
                        w.gates_rest |= param;
                    } else if let Some(tested) = paths::unwrapped_or_exit(&init.expr) {
                        // The same, written `let p = if let Some(p) = path
                        // { p } else { return .. };`.
                        w.gates_rest |= w.param_index(tested).map_or(0, |i| 1u64 << i);
                    }
                }
                w.bind_local(&local.pat, local.init.as_ref().map(|i| &*i.expr));
                w.env_gate = w.note_env_local(local);
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

    fn expr(&mut self, e: &Expr, usage: Usage) {
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
                // `if !cfg!(test) { .. }` and the `else` of `if cfg!(test)`
                // are what a test build leaves out.
                let test_cond = cfg_test_cond(&i.cond);
                let skip_then = u32::from(test_cond == Some(false));
                self.not_in_tests += skip_then;
                let opt_in = u32::from(is_flag(&i.cond) || is_setting_present(&i.cond));
                self.opt_in += opt_in;
                let (gates, ungates) = (self.gates, self.ungates);
                self.gates |= self.param_gates(&i.cond);
                self.ungates |= self.param_ungates(&i.cond);
                let arms_before = self.arms.len();
                self.push_cond_arms(&i.cond);
                if is_flag(&i.cond) || self.cond_reads_env(&i.cond) {
                    self.conditionally(|w| w.block(&i.then_branch, usage));
                } else {
                    self.block(&i.then_branch, usage);
                }
                (self.gates, self.ungates) = (gates, ungates);
                self.arms.truncate(arms_before);
                self.opt_in -= opt_in;
                self.not_in_tests -= skip_then;
                self.env.pop();
                if let Some((_, els)) = &i.else_branch {
                    let skip_else = u32::from(test_cond == Some(true));
                    self.not_in_tests += skip_else;
                    let (g, u) = self.else_gates(&i.cond);
                    (self.gates, self.ungates) = (gates | g, ungates | u);
                    self.expr(els, usage);
                    (self.gates, self.ungates) = (gates, ungates);
                    self.not_in_tests -= skip_else;
                }
            }
            Expr::While(w) => {
                self.env.push(HashMap::new());
                self.cond(&w.cond);
                self.loop_body = true;
                self.block(&w.body, Usage::Dropped);
                self.env.pop();
            }
            Expr::ForLoop(f) => {
                let before = self.recorded_calls().map_or(0, <[LocalCall]>::len);
                self.expr(&f.expr, Usage::Iterated);
                self.blocking_iteration(&f.expr, before);
                self.env.push(HashMap::new());
                let item = self.item_type(&f.expr);
                self.bind_pat(&f.pat, item);
                self.block(&f.body, Usage::Dropped);
                self.env.pop();
            }
            Expr::Loop(l) => {
                self.loop_body = true;
                self.block(&l.body, Usage::Dropped);
            }
            Expr::Match(m) => {
                self.expr(&m.expr, Usage::Matched);
                let on_setting = is_field(&m.expr);
                // On an optional variable, the arm for "unset" is the default.
                let on_env = self.reads_env(&m.expr);
                // On a parameter: its `Some` arms run only with it set, its
                // `None` arm only without.
                let param = self.param_index(&m.expr).map_or(0, |i| 1u64 << i);
                let forked = is_fork(&m.expr);
                // `match self.dump_policy { AutoDump => self.dump(), _ =>
                // Ok(()) }`: a setting with an arm that does nothing makes
                // the others a choice of the caller's, taken on some paths.
                let chosen = on_setting && m.arms.iter().any(|a| paths::does_nothing(&a.body));
                let on_param = self.param_index(&m.expr);
                let arms_before = self.arms.len();
                // On a setting of an enum with a default: the arms for the
                // other variants run only once something sets it, which a
                // test that builds its own settings has not done.
                let default = if on_setting {
                    self.infer(&m.expr)
                        .and_then(|t| self.model.default_variant(&t.path).map(str::to_owned))
                } else {
                    None
                };
                for arm in &m.arms {
                    let (gates, ungates) = (self.gates, self.ungates);
                    match &arm.pat {
                        p if is_some_pat(p) => self.gates |= param,
                        p if paths::is_none_pat(p) => self.ungates |= param,
                        _ => {}
                    }
                    // `Action::Yank => ..` on a parameter: run only for those.
                    if let (Some(i), Some(names)) = (on_param, paths::variant_pat(&arm.pat)) {
                        self.arms.push((i as u8, names));
                    }
                    let other_variant = default.as_ref().is_some_and(|d| {
                        paths::variant_pat(&arm.pat).is_some_and(|names| !names.contains(d))
                    });
                    let opt_in = u32::from(on_setting && is_some_pat(&arm.pat) || other_variant);
                    self.opt_in += opt_in;
                    self.env.push(HashMap::new());
                    self.bind_local(&arm.pat, Some(&m.expr));
                    if let Some((_, g)) = &arm.guard {
                        self.expr(g, Usage::Other);
                    }
                    let some_paths = if on_env {
                        is_some_pat(&arm.pat)
                            || matches!(&arm.pat, Pat::TupleStruct(t) if t.path.is_ident("Ok"))
                    } else {
                        is_failure_pat(&arm.pat)
                    };
                    if forked && is_child_pat(&arm.pat) {
                        // `match fork()? { ForkResult::Child => .. }`: that
                        // arm runs in the new process, which this one does
                        // not wait for (rexpect opens the pty's slave there).
                        let saved = std::mem::replace(&mut self.ctx, Ctx::Offloaded);
                        self.expr(&arm.body, usage);
                        self.ctx = saved;
                    } else if some_paths || chosen {
                        self.conditionally(|w| w.expr(&arm.body, usage));
                    } else {
                        self.expr(&arm.body, usage);
                    }
                    self.env.pop();
                    self.opt_in -= opt_in;
                    (self.gates, self.ungates) = (gates, ungates);
                    self.arms.truncate(arms_before);
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
    pub(super) fn blocking_iteration(&mut self, iterable: &Expr, before: usize) {
        let span = iterable.span();
        let display = format!("for .. in {}", short(iterable));
        self.made_from = Some(before);
        self.iteration(iterable, None, &display, span, span);
        self.made_from = None;
    }

    /// [`Walker::blocking_iteration`] of what a chain of adapters
    /// (`.filter_map(..).map(..)`) iterates, reported at `start..end` as
    /// `display`. `consumer`: the method (`collect`) that drives it, whose
    /// I/O types the catalog matches already.
    pub(super) fn iteration(
        &mut self,
        iterable: &Expr,
        consumer: Option<&str>,
        display: &str,
        start: Span,
        end: Span,
    ) {
        let mut iterable = iterable;
        while let Expr::MethodCall(m) = iterable {
            if !ITER_ADAPTERS.contains(&m.method.to_string().as_str()) {
                break;
            }
            iterable = &m.receiver;
        }
        let Some(ty) = self.infer(iterable) else {
            return;
        };
        if ty.io.is_some() {
            if consumer.is_some() {
                return;
            }
            match ty.io_kind() {
                Some(IoKind::Generic) => self.note_generic_io(display, start),
                Some(k) => {
                    if let Some(rule) = k.rule() {
                        let call = format!("{}::into_iter", ty.path);
                        self.emit(rule, &call, display, start, end, Confidence::Certain, None);
                    }
                }
                None => {}
            }
            return;
        }
        let plain = ty.is_plain()
            && ty.inner.is_none()
            && (!self.opts.config.std_catalog_only || catalog::is_std_or_runtime(&ty.path));
        if let Some(&(_, rule)) = BLOCKING_ITERABLES
            .iter()
            .find(|(t, _)| plain && *t == ty.path)
        {
            let call = format!("{}::into_iter", ty.path);
            self.emit(rule, &call, display, start, end, Confidence::Certain, None);
            return;
        }
        // A value of the code's own type or a dependency's: each step is a
        // call of its `next`, which the closure follows (globwalk's
        // `GlobWalker`, a crate's own directory walker).
        let own_or_dep = ty.path.starts_with("crate::") || self.model.is_extern(&ty.path);
        if own_or_dep && ty.is_plain() {
            if let Some(next) = self.model.iterator_next(&ty.path) {
                // `for b in manager.batteries()?`: when the call that made
                // the iterator blocks, it is the one finding on the line.
                self.call_alt = self.made_by_recorded_call(iterable);
                self.record_call(next, display.to_owned(), start, end, Usage::Other);
                self.call_alt = false;
            }
        }
    }

    /// Where calls made here are recorded.
    fn recorded_calls(&self) -> Option<&[LocalCall]> {
        match (self.ctx, self.current_fn) {
            (Ctx::Async, _) => Some(&self.out.async_calls),
            (Ctx::Sync, Some(i)) => Some(&self.out.fns[i].calls),
            _ => None,
        }
    }

    /// Whether the loop's value is made by a call the walk of its
    /// expression recorded (`f()?`, `x.f()`): the first one recorded since
    /// [`Walker::made_from`], as a call is recorded before its receiver and
    /// arguments are walked, when it names the same fn.
    fn made_by_recorded_call(&self, e: &Expr) -> bool {
        let name = match e {
            Expr::Try(t) => return self.made_by_recorded_call(&t.expr),
            Expr::Paren(p) => return self.made_by_recorded_call(&p.expr),
            Expr::MethodCall(m) => m.method.to_string(),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => match p.path.segments.last() {
                    Some(s) => s.ident.to_string(),
                    None => return false,
                },
                _ => return false,
            },
            _ => return false,
        };
        let (Some(before), Some(calls)) = (self.made_from, self.recorded_calls()) else {
            return false;
        };
        calls
            .get(before)
            .is_some_and(|c| crate::last_segment(&c.path) == name)
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
    fn async_stmts(&mut self, stmts: &[Stmt]) {
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
        let saved_async_fn = self.async_fn.take();
        self.ctx = Ctx::Async;
        self.current_fn = None;
        f(self);
        (self.ctx, self.current_fn, self.closure_owner) = saved;
        self.async_fn = saved_async_fn;
    }

    /// The arguments of a call that hands a future to another executor's
    /// loop on its own thread (GLib's): the future is not polled by a Tokio
    /// worker. What it calls is noted in [`Analysis::foreign_calls`].
    fn args_foreign<'e>(&mut self, args: impl Iterator<Item = &'e Expr>) {
        let saved = (self.ctx, self.driving_offloaded);
        (self.ctx, self.driving_offloaded) = (Ctx::Offloaded, true);
        self.foreign += 1;
        for arg in args {
            self.expr(arg, Usage::Passed);
        }
        self.foreign -= 1;
        (self.ctx, self.driving_offloaded) = saved;
    }

    fn closure(&mut self, c: &syn::ExprClosure) {
        let given = self.closure_given.take().unwrap_or_default();
        self.env.push(HashMap::new());
        // A map's `retain(|k, v| ..)` is given the pair's halves.
        let given: Vec<Option<Ty>> = match given.as_slice() {
            [Some(pair)] if c.inputs.len() == 2 => pair.halves().map_or(given, Vec::from),
            _ => given,
        };
        for (i, input) in c.inputs.iter().enumerate() {
            self.bind_pat(input, given.get(i).cloned().flatten());
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
}

/// Path segments without generic arguments.
fn path_segs(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn pat_ident(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_ident(&t.pat),
        _ => None,
    }
}

/// `cfg!(test)` is `Some(true)`, `!cfg!(test)` is `Some(false)`; any other
/// condition `None`.
fn cfg_test_cond(cond: &Expr) -> Option<bool> {
    match cond {
        Expr::Macro(m) if m.mac.path.is_ident("cfg") => m
            .mac
            .parse_body::<syn::Ident>()
            .ok()
            .filter(|i| i == "test")
            .map(|_| true),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => cfg_test_cond(&u.expr).map(|b| !b),
        Expr::Paren(p) => cfg_test_cond(&p.expr),
        _ => None,
    }
}

/// `if cfg!(test) { .. return .. }` without an `else`: the statements after
/// it do not run in a test build.
fn is_test_exit(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::If(i), _) = stmt else {
        return false;
    };
    i.else_branch.is_none() && cfg_test_cond(&i.cond) == Some(true) && returns(&i.then_branch)
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
    // A receiver is mostly a name or a field (`self.client`): spelled here
    // as the token text below would give it, without printing tokens.
    fn simple(e: &Expr, out: &mut String) -> bool {
        match e {
            Expr::Path(p)
                if p.attrs.is_empty()
                    && p.qself.is_none()
                    && p.path.leading_colon.is_none()
                    && p.path.segments.iter().all(|s| s.arguments.is_none()) =>
            {
                for (i, s) in p.path.segments.iter().enumerate() {
                    if i > 0 {
                        out.push_str("::");
                    }
                    out.push_str(&s.ident.to_string());
                }
                true
            }
            Expr::Field(f) if f.attrs.is_empty() && simple(&f.base, out) => {
                out.push('.');
                match &f.member {
                    syn::Member::Named(id) => out.push_str(&id.to_string()),
                    syn::Member::Unnamed(i) => out.push_str(&i.index.to_string()),
                }
                true
            }
            _ => false,
        }
    }
    let mut text = String::new();
    if simple(e, &mut text) {
        return if text.len() <= 32 {
            text
        } else {
            "..".to_owned()
        };
    }
    short_tokens(e)
}

/// [`short`] for any expression: its tokens printed and tidied.
fn short_tokens(e: &Expr) -> String {
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

/// Whether `e` is a call of `fork()` (nix's or libc's), through `unsafe`,
/// `?`, `unwrap()` or `expect(..)`.
fn is_fork(e: &Expr) -> bool {
    match e {
        Expr::Unsafe(u) => matches!(u.block.stmts.as_slice(), [Stmt::Expr(e, None)] if is_fork(e)),
        Expr::Try(t) => is_fork(&t.expr),
        Expr::Paren(p) => is_fork(&p.expr),
        Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => is_fork(&m.receiver),
        Expr::Call(c) => {
            c.args.is_empty()
                && matches!(&*c.func, Expr::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "fork"))
        }
        _ => false,
    }
}

/// Whether a pattern matches the child's side of `fork()`:
/// `ForkResult::Child`, `Ok(ForkResult::Child)`.
fn is_child_pat(p: &Pat) -> bool {
    let last_is_child = |path: &syn::Path| path.segments.last().is_some_and(|s| s.ident == "Child");
    match p {
        Pat::Path(pp) => last_is_child(&pp.path),
        Pat::Struct(ps) => last_is_child(&ps.path),
        Pat::TupleStruct(t) if last_is_child(&t.path) => true,
        Pat::TupleStruct(t) => t.path.is_ident("Ok") && t.elems.iter().any(is_child_pat),
        Pat::Paren(p) => is_child_pat(&p.pat),
        _ => false,
    }
}

/// The longest `recv_timeout` that still counts as a poll.
const POLL_TIMEOUT_NANOS: u128 = 1_000_000;

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

/// A `Duration` written as a literal of at most [`POLL_TIMEOUT_NANOS`]:
/// `Duration::from_nanos(1)`, `Duration::from_millis(1)`, `Duration::ZERO`.
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

/// Iterator adapters: a loop or a consumer over them iterates what they
/// wrap.
const ITER_ADAPTERS: &[&str] = &[
    "filter",
    "filter_map",
    "map",
    "map_while",
    "take",
    "take_while",
    "skip",
    "skip_while",
    "step_by",
    "enumerate",
    "flatten",
    "flat_map",
    "inspect",
    "peekable",
    "fuse",
    "by_ref",
    "cloned",
    "copied",
    "scan",
    "chain",
    "zip",
    "rev",
];

/// Methods that drive an iterator to its end (or until they have an
/// answer), calling its `next` at each step.
pub(super) const ITER_CONSUMERS: &[&str] = &[
    "collect",
    "count",
    "for_each",
    "try_for_each",
    "last",
    "nth",
    "sum",
    "product",
    "fold",
    "try_fold",
    "reduce",
    "find",
    "find_map",
    "any",
    "all",
    "position",
    "max",
    "min",
    "max_by_key",
    "min_by_key",
    "max_by",
    "min_by",
    "partition",
    "unzip",
];

/// Whether a condition is a single test, not `a && b` or `a || b` (in
/// parentheses or not): only then does its negation say what one
/// parameter is.
fn one_test(cond: &Expr) -> bool {
    match cond {
        Expr::Paren(p) => one_test(&p.expr),
        Expr::Binary(_) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::{short, short_tokens};

    #[test]
    fn a_short_display_is_the_token_text() {
        for e in [
            "x",
            "self.client",
            "self.inner.0.pool",
            "crate::db::POOL",
            "r#type.field",
            "a_very_long_receiver_name.and_a_longer_field_name",
            "::std::io::stdin",
            "Vec::<u8>::new",
            "self.pool.get()",
            "&self.conn",
        ] {
            let expr: syn::Expr = syn::parse_str(e).expect("parses");
            assert_eq!(short(&expr), short_tokens(&expr), "{e}");
        }
    }
}
