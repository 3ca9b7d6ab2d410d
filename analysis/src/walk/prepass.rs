//! Look-aheads over a block's statements: closures bound here and handed
//! to an offloader, or called, further down.

use super::*;

/// Whether the closure bound to `name` is handed to an offloader by name in
/// `rest`: `let job = || ..; spawn_blocking(job)`.
pub(super) fn offloaded_later(rest: &[Stmt], name: &str, offloaders: &HashSet<String>) -> bool {
    offloaded_names_in(rest, offloaders).contains(name)
}

/// Names handed to an offloader as plain arguments in these statements.
pub(super) fn offloaded_names_in(stmts: &[Stmt], offloaders: &HashSet<String>) -> HashSet<String> {
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
pub(super) const STORING_METHODS: &[&str] = &["push", "push_back", "push_front", "insert"];

/// `Box::new`, `Arc::new`, `Rc::new`, `Box::pin`: the value is kept, not run.
pub(super) fn is_pointer_ctor(segs: &[String]) -> bool {
    match segs {
        [.., ty, f] => {
            matches!(ty.as_str(), "Box" | "Arc" | "Rc") && matches!(f.as_str(), "new" | "pin")
        }
        _ => false,
    }
}

/// The closure in `Box::new(|| ..)` (or another pointer constructor).
pub(super) fn boxed_closure(e: &Expr) -> Option<&syn::ExprClosure> {
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
pub(super) fn called_in(stmts: &[Stmt], name: &str) -> bool {
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
