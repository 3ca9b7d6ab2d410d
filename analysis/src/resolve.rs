//! Name resolution from `use` declarations and local items, without a compiler.

use foldhash::{HashMap, HashSet};
use syn::{Item, UseTree};

/// What one module or block brings into scope.
#[derive(Default, Debug, Clone)]
pub(crate) struct Scope<'m> {
    /// A module's names as the crate model resolved them.
    model: Option<&'m crate::model::Module>,
    /// `use a::b as c;` maps `c` to `a::b`.
    uses: HashMap<String, String>,
    /// `use a::b::*;` records `a::b`.
    globs: Vec<String>,
    /// Items declared here (`mod fs`, `fn sleep`, `struct File`): they shadow
    /// anything a glob brings and name paths inside the crate.
    locals: HashSet<String>,
    /// The module path that local items live in.
    module: String,
    /// A block's scope: its items live under the enclosing fn's path, and
    /// `self`/`super` still mean the enclosing module.
    block: bool,
}

/// How a path in the code resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A full path: an extern crate's item or the crate's own.
    Path(String),
    /// A bare name found only through glob imports: the candidates.
    Glob(Vec<String>),
    /// The first segment is not in scope: the path as written.
    Unresolved(String),
}

impl<'m> Scope<'m> {
    pub(crate) fn new(module: String) -> Scope<'m> {
        Scope {
            module,
            ..Scope::default()
        }
    }

    /// The scope of a block with items: they are named under `owner` (the
    /// enclosing fn), so two fns' nested helpers of one name stay apart.
    pub(crate) fn block(owner: String) -> Scope<'m> {
        Scope {
            module: owner,
            block: true,
            ..Scope::default()
        }
    }

    /// A module's scope as the crate model resolved it: every name it can
    /// see with the path it stands for, and its globs of outside paths.
    pub(crate) fn from_model(module: &str, model: &'m crate::model::CrateModel) -> Scope<'m> {
        let mut scope = Scope::new(module.to_owned());
        scope.model = model.module_scope(module);
        scope.globs = scope
            .model
            .map_or_else(Vec::new, |m| m.ext_globs().to_vec());
        scope
    }

    /// The full path `name` stands for in this scope, if it names an import.
    fn imported(&self, name: &str) -> Option<&str> {
        self.uses
            .get(name)
            .map(String::as_str)
            .or_else(|| self.model.and_then(|m| m.target(name)))
    }

    /// Collects the `use` declarations and item names of a module or block.
    pub(crate) fn add_items<'a>(&mut self, items: impl IntoIterator<Item = &'a Item>) {
        for item in items {
            match item {
                Item::Use(u) => self.add_use(&u.tree),
                other => {
                    if let Some(name) = item_name(other) {
                        self.locals.insert(name);
                    }
                }
            }
        }
        // `use db::query;` names the local module `db` (2018 uniform paths).
        for target in self.uses.values_mut().chain(self.globs.iter_mut()) {
            let head = target.split("::").next().unwrap_or_default();
            if self.locals.contains(head) {
                *target = format!("{}::{target}", self.module);
            }
        }
    }

    pub(crate) fn add_use(&mut self, tree: &UseTree) {
        let mut prefix = Vec::new();
        self.use_tree(tree, &mut prefix);
    }

    fn use_tree(&mut self, tree: &UseTree, prefix: &mut Vec<String>) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(&p.tree, prefix);
                prefix.pop();
            }
            UseTree::Name(n) => {
                let name = n.ident.to_string();
                if name == "self" {
                    if let Some(last) = prefix.last().cloned() {
                        self.uses.insert(last, self.absolute(prefix));
                    }
                } else {
                    prefix.push(name.clone());
                    let full = self.absolute(prefix);
                    prefix.pop();
                    self.uses.insert(name, full);
                }
            }
            UseTree::Rename(r) => {
                let mut alias = r.rename.to_string();
                // Kept under a name no identifier spells (see the model's
                // lowering): the trait's methods are in scope.
                if alias == "_" {
                    alias = format!("{}::{} as _", prefix.join("::"), r.ident);
                }
                let name = r.ident.to_string();
                if name != "self" {
                    prefix.push(name);
                }
                let full = self.absolute(prefix);
                if r.ident != "self" {
                    prefix.pop();
                }
                self.uses.insert(alias, full);
            }
            UseTree::Glob(_) => {
                let full = self.absolute(prefix);
                self.globs.push(full);
            }
            UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(t, prefix);
                }
            }
        }
    }

    /// Makes a `use` path absolute: `self::` and `super::` become crate paths.
    fn absolute(&self, segs: &[String]) -> String {
        let module: Vec<&str> = self.module.split("::").collect();
        match segs.first().map(String::as_str) {
            Some("self") => join(
                module
                    .iter()
                    .copied()
                    .chain(segs[1..].iter().map(String::as_str)),
            ),
            Some("super") => {
                let mut m = module.clone();
                let mut rest = segs;
                while rest.first().map(String::as_str) == Some("super") {
                    if m.len() > 1 {
                        m.pop();
                    }
                    rest = &rest[1..];
                }
                join(m.into_iter().chain(rest.iter().map(String::as_str)))
            }
            _ => segs.join("::"),
        }
    }
}

fn join<'a>(it: impl Iterator<Item = &'a str>) -> String {
    it.collect::<Vec<_>>().join("::")
}

/// The name an item declares, if it can be the first segment of a path.
pub(crate) fn item_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Fn(f) => &f.sig.ident,
        Item::Mod(m) => &m.ident,
        Item::Struct(s) => &s.ident,
        Item::Enum(e) => &e.ident,
        Item::Union(u) => &u.ident,
        Item::Trait(t) => &t.ident,
        Item::Type(t) => &t.ident,
        Item::Const(c) => &c.ident,
        Item::Static(s) => &s.ident,
        Item::ExternCrate(e) => e.rename.as_ref().map(|(_, i)| i).unwrap_or(&e.ident),
        _ => return None,
    };
    Some(ident.to_string())
}

/// A stack of scopes, innermost last.
#[derive(Debug, Default)]
pub(crate) struct Resolver<'m> {
    pub(crate) scopes: Vec<Scope<'m>>,
}

/// Re-exports that name the same item; paths are rewritten to the right side.
const CANONICAL: &[(&str, &str)] = &[
    ("crossbeam::channel::", "crossbeam_channel::"),
    ("diesel::r2d2::", "r2d2::"),
    ("lettre::transport::smtp::", "lettre::"),
    ("futures_executor::", "futures::executor::"),
    ("futures::executor::", "futures::executor::"),
    ("core::", "std::"),
    ("alloc::", "std::"),
    ("tokio::task::spawn", "tokio::spawn"),
    ("std::os::unix::fs::", "std::os::unix::fs::"),
    // `fs-err` wraps each `std::fs` fn and type with the same name and
    // behaviour (better error messages); its `tokio` module is async.
    ("fs_err::tokio::", "fs_err::tokio::"),
    ("fs_err::", "std::fs::"),
];

/// Rewrites a path to its canonical spelling.
pub(crate) fn canonical(path: String) -> String {
    let path = path.strip_prefix("::").map(str::to_owned).unwrap_or(path);
    for (from, to) in CANONICAL {
        if from.ends_with("::") {
            if let Some(rest) = path.strip_prefix(from) {
                return format!("{to}{rest}");
            }
        } else if path == *from {
            return (*to).to_owned();
        }
    }
    path
}

impl<'m> Resolver<'m> {
    pub(crate) fn push(&mut self, scope: Scope<'m>) {
        self.scopes.push(scope);
    }

    pub(crate) fn pop(&mut self) {
        self.scopes.pop();
    }

    /// The first segments of every path the scopes import by name or by
    /// glob (`use wait_timeout::ChildExt;` gives `wait_timeout`): the
    /// crates whose traits may add methods to another crate's type here.
    pub(crate) fn imported_heads(&self) -> Vec<&str> {
        let mut heads: Vec<&str> = self
            .scopes
            .iter()
            .flat_map(|s| {
                s.uses
                    .values()
                    .chain(s.globs.iter())
                    .map(String::as_str)
                    .chain(s.model.into_iter().flat_map(|m| m.targets()))
            })
            .filter_map(|p| p.split("::").next())
            .collect();
        heads.sort_unstable();
        heads.dedup();
        heads
    }

    pub(crate) fn module(&self) -> &str {
        self.scopes
            .iter()
            .rev()
            .find(|s| !s.block)
            .map(|s| s.module.as_str())
            .unwrap_or("crate")
    }

    /// Resolves path segments as written (generic arguments already removed).
    /// `self_ty` is the resolved `Self` of the enclosing impl.
    pub(crate) fn resolve(
        &self,
        segs: &[String],
        leading_colon: bool,
        self_ty: Option<&str>,
    ) -> Resolved {
        let Some(first) = segs.first() else {
            return Resolved::Unresolved(String::new());
        };
        let rest = &segs[1..];
        let with_rest = |head: &str| {
            let mut s = head.to_owned();
            for r in rest {
                s.push_str("::");
                s.push_str(r);
            }
            canonical(s)
        };
        if leading_colon {
            return Resolved::Path(canonical(segs.join("::")));
        }
        match first.as_str() {
            "crate" => return Resolved::Path(segs.join("::")),
            "self" => return Resolved::Path(with_rest(self.module())),
            "super" => {
                let mut m: Vec<&str> = self.module().split("::").collect();
                let mut rest = segs;
                while rest.first().map(String::as_str) == Some("super") {
                    if m.len() > 1 {
                        m.pop();
                    }
                    rest = &rest[1..];
                }
                let mut s = m.join("::");
                for r in rest {
                    s.push_str("::");
                    s.push_str(r);
                }
                return Resolved::Path(s);
            }
            "Self" => {
                return match self_ty {
                    Some(t) => Resolved::Path(with_rest(t)),
                    None => Resolved::Unresolved(segs.join("::")),
                };
            }
            _ => {}
        }
        for scope in self.scopes.iter().rev() {
            if let Some(full) = scope.imported(first) {
                return Resolved::Path(with_rest(full));
            }
            if scope.locals.contains(first) {
                return Resolved::Path(with_rest(&format!("{}::{first}", scope.module)));
            }
        }
        if segs.len() == 1 || first.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            let globs: Vec<String> = self
                .scopes
                .iter()
                .rev()
                .flat_map(|s| s.globs.iter())
                .map(|g| canonical(format!("{g}::{}", segs.join("::"))))
                .collect();
            if !globs.is_empty() {
                return Resolved::Glob(globs);
            }
        }
        if segs.len() > 1 && is_extern_root(first) {
            return Resolved::Path(canonical(segs.join("::")));
        }
        Resolved::Unresolved(segs.join("::"))
    }
}

/// Whether a first segment nobody imported names a crate: lowercase, and not
/// a std module that needs a `use` to be reachable without `std::`.
fn is_extern_root(first: &str) -> bool {
    const STD_MODULES: &[&str] = &[
        "fs", "thread", "net", "io", "process", "sync", "mpsc", "time", "path", "env", "mem",
    ];
    first.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !STD_MODULES.contains(&first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver(src: &str) -> Resolver<'static> {
        let file = syn::parse_file(src).unwrap();
        let mut scope = Scope::new("crate".into());
        scope.add_items(&file.items);
        let mut r = Resolver::default();
        r.push(scope);
        r
    }

    fn res(r: &Resolver<'_>, path: &str) -> Resolved {
        let segs: Vec<String> = path
            .trim_start_matches("::")
            .split("::")
            .map(str::to_owned)
            .collect();
        r.resolve(&segs, path.starts_with("::"), None)
    }

    fn p(s: &str) -> Resolved {
        Resolved::Path(s.into())
    }

    #[test]
    fn aliases_groups_and_self() {
        let r = resolver(
            "use std::thread::sleep as nap; use std::fs::{self, File}; use std::sync::{mpsc::{self, Receiver}, Mutex};",
        );
        assert_eq!(res(&r, "nap"), p("std::thread::sleep"));
        assert_eq!(res(&r, "fs::read"), p("std::fs::read"));
        assert_eq!(res(&r, "File::open"), p("std::fs::File::open"));
        assert_eq!(res(&r, "mpsc::channel"), p("std::sync::mpsc::channel"));
        assert_eq!(res(&r, "Receiver"), p("std::sync::mpsc::Receiver"));
        assert_eq!(res(&r, "Mutex::new"), p("std::sync::Mutex::new"));
    }

    #[test]
    fn full_paths_and_leading_colons() {
        let r = resolver("");
        assert_eq!(res(&r, "std::thread::sleep"), p("std::thread::sleep"));
        assert_eq!(res(&r, "::std::fs::read"), p("std::fs::read"));
        assert_eq!(res(&r, "core::time::Duration"), p("std::time::Duration"));
        assert_eq!(
            res(&r, "crossbeam::channel::unbounded"),
            p("crossbeam_channel::unbounded")
        );
        assert_eq!(res(&r, "fs::read"), Resolved::Unresolved("fs::read".into()));
        assert_eq!(res(&r, "sleep"), Resolved::Unresolved("sleep".into()));
    }

    #[test]
    fn globs_and_shadowing() {
        let r = resolver("use std::fs::*; mod thread { pub fn sleep() {} } fn read_to_string() {}");
        assert_eq!(
            res(&r, "read"),
            Resolved::Glob(vec!["std::fs::read".into()])
        );
        assert_eq!(res(&r, "read_to_string"), p("crate::read_to_string"));
        assert_eq!(res(&r, "thread::sleep"), p("crate::thread::sleep"));
    }

    #[test]
    fn tokio_imports_win_over_std_names() {
        let r = resolver("use tokio::time::sleep; use tokio::fs;");
        assert_eq!(res(&r, "sleep"), p("tokio::time::sleep"));
        assert_eq!(res(&r, "fs::read"), p("tokio::fs::read"));
    }

    #[test]
    fn self_and_super_in_nested_modules() {
        let mut r = Resolver::default();
        let mut s = Scope::new("crate::server::handlers".into());
        s.add_use(
            &syn::parse_str::<syn::ItemUse>("use super::db::query;")
                .unwrap()
                .tree,
        );
        s.add_use(
            &syn::parse_str::<syn::ItemUse>("use self::util::load as ld;")
                .unwrap()
                .tree,
        );
        r.push(s);
        assert_eq!(res(&r, "query"), p("crate::server::db::query"));
        assert_eq!(res(&r, "ld"), p("crate::server::handlers::util::load"));
        assert_eq!(
            res(&r, "super::super::config::load"),
            p("crate::config::load")
        );
        assert_eq!(res(&r, "self::x"), p("crate::server::handlers::x"));
    }
}
