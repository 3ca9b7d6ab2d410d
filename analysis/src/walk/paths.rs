//! Which code runs on every path through its fn (see
//! [`crate::LocalCall::conditional`]).

use super::*;

/// Methods whose closure arguments run only on some paths: after an error
/// (`unwrap_or_else`, `or_else`, `map_err`), or once per process or value
/// (`get_or_init`, `call_once`).
pub(super) const ON_SOME_PATHS: &[&str] = &[
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

/// Methods that run their closure once per process, the first time any
/// thread asks (`OnceLock::get_or_init`, `Once::call_once`).
pub(super) const ONE_TIME: &[&str] = &[
    "get_or_init",
    "get_or_try_init",
    "call_once",
    "call_once_force",
];

/// `if config.tls_keylog { .. }`: a branch on a bool option, behaviour a
/// caller opts into.
pub(super) fn is_flag(cond: &Expr) -> bool {
    match cond {
        Expr::Field(f) => matches!(f.member, syn::Member::Named(_)),
        Expr::Paren(p) => is_flag(&p.expr),
        _ => false,
    }
}

/// `self.config.path`, `&opts.acl`, `cfg.tls.as_ref()`: a value read from a
/// named field, where settings live.
pub(super) fn is_field(e: &Expr) -> bool {
    match e {
        Expr::Field(f) => matches!(f.member, syn::Member::Named(_)),
        Expr::Reference(r) => is_field(&r.expr),
        Expr::Paren(p) => is_field(&p.expr),
        Expr::MethodCall(m)
            if matches!(
                m.method.to_string().as_str(),
                "as_ref" | "as_deref" | "clone"
            ) =>
        {
            is_field(&m.receiver)
        }
        _ => false,
    }
}

/// `Some(..)`: the arm taken when an optional value is there.
pub(super) fn is_some_pat(pat: &Pat) -> bool {
    matches!(pat, Pat::TupleStruct(t) if t.path.is_ident("Some"))
}

/// `None`: the arm for an unset option.
pub(super) fn is_none_pat(pat: &Pat) -> bool {
    match pat {
        Pat::Ident(i) => i.ident == "None" && i.subpat.is_none(),
        Pat::Path(p) => p.path.is_ident("None"),
        _ => false,
    }
}

/// `if let Some(path) = self.config_path`: a branch taken when an optional
/// setting is given.
pub(super) fn is_setting_present(cond: &Expr) -> bool {
    match cond {
        Expr::Let(l) => is_some_pat(&l.pat) && is_field(&l.expr),
        Expr::Paren(p) => is_setting_present(&p.expr),
        _ => false,
    }
}

/// `Err(..)`, `None` (and `Err(e) | ..`): an arm for the failure case.
pub(super) fn is_failure_pat(pat: &Pat) -> bool {
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
pub(super) fn is_fast_path(stmt: &Stmt) -> bool {
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

/// Whether a block returns from its fn (a `return` outside closures, async
/// blocks and items), with any value.
pub(super) fn returns(block: &Block) -> bool {
    any_return(block, |_| true)
}

/// Whether a block returns from its fn with a value that is not an error
/// (a `return` outside closures, async blocks and items).
pub(super) fn returns_value(block: &Block) -> bool {
    any_return(block, |r| {
        let failure = match r.expr.as_deref() {
            Some(Expr::Call(c)) => matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Err")),
            Some(Expr::Path(p)) => p.path.is_ident("None"),
            _ => false,
        };
        !failure
    })
}

/// Whether a `return` of the block's own fn (not of a closure, async block
/// or nested item inside it) satisfies `counts`.
fn any_return(block: &Block, counts: impl Fn(&syn::ExprReturn) -> bool) -> bool {
    struct Finder<F>(bool, F);
    impl<'ast, F: Fn(&syn::ExprReturn) -> bool> syn::visit::Visit<'ast> for Finder<F> {
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            self.0 |= (self.1)(r);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut f = Finder(false, counts);
    syn::visit::Visit::visit_block(&mut f, block);
    f.0
}

/// Whether an expression does nothing at all: `()`, `{}`, `Ok(())`,
/// `None`, a value already at hand (`Ok(v)`), `return Ok(())`.
pub(super) fn does_nothing(e: &Expr) -> bool {
    match e {
        Expr::Tuple(t) => t.elems.is_empty(),
        Expr::Block(b) => match b.block.stmts.as_slice() {
            [] => true,
            [syn::Stmt::Expr(e, _)] => does_nothing(e),
            _ => false,
        },
        Expr::Lit(_) | Expr::Path(_) => true,
        Expr::Paren(p) => does_nothing(&p.expr),
        Expr::Return(r) => r.expr.as_deref().is_none_or(does_nothing),
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Path(p) if p.path.is_ident("Ok") || p.path.is_ident("Some"))
                && c.args.iter().all(does_nothing)
        }
        _ => false,
    }
}

/// Whether a path's last segment reads as an enum variant's name
/// (`Action::Motion`, `Motion`): capitalized, not a constant's
/// all-capitals, and not one of the prelude's `Option` and `Result`
/// variants, which the `None`/`Some(..)` gates already follow.
fn variant_name(path: &syn::Path) -> Option<String> {
    let last = path.segments.last()?;
    let name = last.ident.to_string();
    let capital = name.starts_with(|c: char| c.is_ascii_uppercase());
    let constant = !name.chars().any(|c| c.is_ascii_lowercase());
    let prelude = matches!(name.as_str(), "None" | "Some" | "Ok" | "Err");
    // `Type::Variant` or `Self::Variant`: the segment before names a type.
    let typed = path.segments.len() < 2
        || path.segments[path.segments.len() - 2]
            .ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_uppercase());
    (capital
        && !constant
        && !prelude
        && typed
        && matches!(last.arguments, syn::PathArguments::None))
    .then_some(name)
}

/// The variant an argument passes written out: `Action::Motion`,
/// `&Action::Motion`, `Action::Jump(n)`, `Action::Move { .. }`.
pub(super) fn variant_arg(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.qself.is_none() => variant_name(&p.path),
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) if p.qself.is_none() => variant_name(&p.path),
            _ => None,
        },
        Expr::Struct(s) if s.qself.is_none() => variant_name(&s.path),
        Expr::Reference(r) => variant_arg(&r.expr),
        Expr::Paren(p) => variant_arg(&p.expr),
        _ => None,
    }
}

/// The variants a `match` arm's pattern takes, when it names only variants
/// (`Action::Yank | Action::Cut`, `Action::Jump(_)`): a wildcard or a
/// binding takes any, and gives `None`.
pub(super) fn variant_pat(pat: &Pat) -> Option<Vec<String>> {
    match pat {
        Pat::Path(p) if p.qself.is_none() => variant_name(&p.path).map(|n| vec![n]),
        Pat::TupleStruct(t) if t.qself.is_none() => variant_name(&t.path).map(|n| vec![n]),
        Pat::Struct(s) if s.qself.is_none() => variant_name(&s.path).map(|n| vec![n]),
        Pat::Ident(i) if i.by_ref.is_none() && i.mutability.is_none() => match &i.subpat {
            Some((_, sub)) => variant_pat(sub),
            None => variant_name(&syn::Path::from(i.ident.clone())).map(|n| vec![n]),
        },
        Pat::Reference(r) => variant_pat(&r.pat),
        Pat::Paren(p) => variant_pat(&p.pat),
        Pat::Or(o) => {
            let mut all = Vec::new();
            for case in &o.cases {
                all.extend(variant_pat(case)?);
            }
            Some(all)
        }
        _ => None,
    }
}

/// Whether an expression never finishes normally: `return`, `break`,
/// `continue`, `panic!`-like macros, or a block that ends in one.
pub(super) fn diverges(e: &Expr) -> bool {
    match e {
        Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
        Expr::Macro(m) => is_exit_macro(&m.mac),
        Expr::Block(b) => block_diverges(&b.block),
        Expr::Paren(p) => diverges(&p.expr),
        _ => false,
    }
}

fn block_diverges(block: &Block) -> bool {
    match block.stmts.last() {
        Some(Stmt::Expr(e, _)) => diverges(e),
        Some(Stmt::Macro(m)) => is_exit_macro(&m.mac),
        _ => false,
    }
}

/// `panic!`, `unreachable!`, `todo!`, `unimplemented!`, anyhow's `bail!`.
fn is_exit_macro(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "panic" | "unreachable" | "todo" | "unimplemented" | "bail"
        )
    })
}

/// `if let Some(p) = x { p } else { return .. }` and `match x { Some(p) =>
/// p, None => return .. }`: the value `x` must hold for what follows to
/// run, as `let Some(p) = x else { return .. };` says.
pub(super) fn unwrapped_or_exit(init: &Expr) -> Option<&Expr> {
    match init {
        Expr::If(i) => {
            let Expr::Let(l) = &*i.cond else { return None };
            let (_, els) = i.else_branch.as_ref()?;
            (is_some_pat(&l.pat) && diverges(els)).then_some(&*l.expr)
        }
        Expr::Match(m) if m.arms.len() == 2 => {
            let some = m
                .arms
                .iter()
                .any(|a| is_some_pat(&a.pat) && a.guard.is_none());
            let none_exits = m.arms.iter().any(|a| {
                (is_none_pat(&a.pat) || matches!(a.pat, Pat::Wild(_))) && diverges(&a.body)
            });
            (some && none_exits).then_some(&*m.expr)
        }
        _ => None,
    }
}
