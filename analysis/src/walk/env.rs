//! Code a library runs only when an environment variable is set: a debug
//! or override setting (`SSLKEYLOGFILE`, `SSL_CERT_FILE`, `RUST_LOG_FILE`),
//! unset by default, so what it does is not what its callers pay for in
//! normal use (see [`crate::LocalCall::conditional`]). Variables a session
//! always has (`HOME`, `PATH`, ..) are not settings.

use super::*;

/// Variables every user session sets: code that reads them runs by default.
const ALWAYS_SET: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "SHELL",
    "PWD",
    "TMPDIR",
    "TMP",
    "TEMP",
    "LANG",
    "TERM",
    "USERPROFILE",
    "APPDATA",
    "LOCALAPPDATA",
    "CARGO_MANIFEST_DIR",
];

/// Methods that keep "the variable's value, when it is set": after them the
/// value still exists only when the variable does. `unwrap_or(..)` and the
/// like give a default instead, and end it.
const KEEPS_PRESENCE: &[&str] = &[
    "ok",
    "map",
    "and_then",
    "filter",
    "as_ref",
    "as_deref",
    "as_os_str",
    "clone",
    "map_err",
    "into_string",
    "unwrap",
    "expect",
];

/// Methods that test whether the value is there: `if env::var("X").is_ok()`.
const TESTS_PRESENCE: &[&str] = &["is_ok", "is_some", "is_ok_and", "is_some_and"];

impl Walker<'_> {
    /// Whether `e` is the value of an optional environment variable: a read
    /// of one (`env::var_os("SSLKEYLOGFILE")`), a local bound to one, or
    /// either through methods that keep it (`.ok()`, `?`, `.as_deref()`).
    pub(super) fn reads_env(&self, e: &Expr) -> bool {
        match e {
            Expr::Call(c) => {
                let Expr::Path(p) = &*c.func else {
                    return false;
                };
                let segs = path_segs(&p.path);
                let is_read = match self.resolve_written(&p.path, &segs) {
                    Resolved::Path(path) => {
                        matches!(path.as_str(), "std::env::var" | "std::env::var_os")
                    }
                    _ => false,
                };
                is_read
                    && c.args.first().and_then(literal_str).is_none_or(|name| {
                        !ALWAYS_SET.contains(&name.as_str()) && !name.starts_with("XDG_")
                    })
            }
            Expr::Path(p) => p
                .path
                .get_ident()
                .is_some_and(|i| self.env_locals.contains(&i.to_string())),
            Expr::MethodCall(m) if KEEPS_PRESENCE.contains(&m.method.to_string().as_str()) => {
                self.reads_env(&m.receiver)
            }
            Expr::Try(t) => self.reads_env(&t.expr),
            Expr::Reference(r) => self.reads_env(&r.expr),
            Expr::Paren(p) => self.reads_env(&p.expr),
            _ => false,
        }
    }

    /// Whether an `if` condition holds only when an optional variable is
    /// set: `if let Some(p) = env::var_os(..)`, `if env::var(..).is_ok()`.
    pub(super) fn cond_reads_env(&self, cond: &Expr) -> bool {
        match cond {
            Expr::Let(l) => !is_failure_pat(&l.pat) && self.reads_env(&l.expr),
            Expr::MethodCall(m) if TESTS_PRESENCE.contains(&m.method.to_string().as_str()) => {
                self.reads_env(&m.receiver)
            }
            Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
                self.cond_reads_env(&b.left) || self.cond_reads_env(&b.right)
            }
            Expr::Paren(p) => self.cond_reads_env(&p.expr),
            _ => false,
        }
    }

    /// Whether a call is given such a value: what it does with it (open the
    /// file it names) happens only when the variable is set.
    pub(super) fn passes_env<'e>(&self, args: impl IntoIterator<Item = &'e Expr>) -> bool {
        args.into_iter().any(|a| self.reads_env(a))
    }

    /// After `let v = env::var("X")?;` or `let Some(v) = env::var_os("X")
    /// else { return .. };` the rest of the block runs only when it is set;
    /// the names bound hold its value.
    pub(super) fn note_env_local(&mut self, local: &syn::Local) -> bool {
        let Some(init) = &local.init else {
            return false;
        };
        if !self.reads_env(&init.expr) {
            return false;
        }
        let mut names = Vec::new();
        pat_names(&local.pat, &mut names);
        self.env_locals.extend(names);
        init.diverge.is_some() || matches!(&*init.expr, Expr::Try(_))
    }
}

/// The names a pattern binds.
fn pat_names(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident(i) => out.push(i.ident.to_string()),
        Pat::Type(t) => pat_names(&t.pat, out),
        Pat::Reference(r) => pat_names(&r.pat, out),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| pat_names(p, out)),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| pat_names(p, out)),
        _ => {}
    }
}
