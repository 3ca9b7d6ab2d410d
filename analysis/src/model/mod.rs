//! The crate as one program: modules, items, imports and types across files.
//!
//! Built once per crate from every file's [`FileItems`], never by compiling.
//! Each module gets the names it can see: its own items, its imports, and
//! what its glob imports bring, resolved to a fixed point (`use super::*`
//! sees the parent's imports; a glob of a module that itself glob-imports
//! sees those too). Signatures, field types and aliases are resolved in the
//! scope of the module that declares them, so the walker of any file can
//! follow `self.settings.addr()` to a method of the crate's own type in
//! another file.

pub mod lower;

pub use lower::{FileItems, FnDecl, ModItems, lower_file, lower_items};

use crate::catalog::{OFFLOADERS, Offloader};
use crate::last_segment;
use crate::ty::Ty;
use foldhash::{HashMap, HashSet};
use std::collections::VecDeque;

/// `a::b`: paths are joined for every item of a crate, and `format!` was a
/// fifth of building a model.
pub(crate) fn join(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 2 + b.len());
    s.push_str(a);
    s.push_str("::");
    s.push_str(b);
    s
}
use std::sync::Arc;

/// A type as written, without spans: what a signature or a field names.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TypeRef {
    /// A path type; `args` are the type arguments of its last segment.
    Path {
        /// Segments, without generic arguments.
        segs: Vec<String>,
        /// Written with a leading `::`.
        leading_colon: bool,
        /// The last segment's type arguments.
        args: Vec<TypeRef>,
    },
    /// `&T`, `&mut T`, `(T)`: the walker looks through them.
    Ref(Box<TypeRef>),
    /// `dyn Trait` / `impl Trait`: the first trait bound.
    Dyn {
        /// The trait's segments.
        segs: Vec<String>,
        /// Written with a leading `::`.
        leading_colon: bool,
    },
    /// `(A, B)`: what a channel constructor returns.
    Tuple(Vec<TypeRef>),
    /// A string const holding an address written out (`const ADDR: &str =
    /// "127.0.0.1:8080"`): as a `ToSocketAddrs` it needs no resolver.
    AddressLiteral,
    /// Anything else (slices, fn pointers).
    Other,
}

impl TypeRef {
    /// Lowers a syn type.
    pub fn from_syn(ty: &syn::Type) -> TypeRef {
        match ty {
            syn::Type::Reference(r) => TypeRef::Ref(Box::new(TypeRef::from_syn(&r.elem))),
            syn::Type::Paren(p) => TypeRef::Ref(Box::new(TypeRef::from_syn(&p.elem))),
            syn::Type::Group(g) => TypeRef::Ref(Box::new(TypeRef::from_syn(&g.elem))),
            syn::Type::Path(tp) if tp.qself.is_none() => {
                let segs = tp
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                let args = match tp.path.segments.last().map(|s| &s.arguments) {
                    Some(syn::PathArguments::AngleBracketed(a)) => a
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            syn::GenericArgument::Type(t) => Some(TypeRef::from_syn(t)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                TypeRef::Path {
                    segs,
                    leading_colon: tp.path.leading_colon.is_some(),
                    args,
                }
            }
            syn::Type::TraitObject(t) => bound_path(t.bounds.iter()),
            syn::Type::ImplTrait(t) => bound_path(t.bounds.iter()),
            syn::Type::Tuple(t) if !t.elems.is_empty() => {
                TypeRef::Tuple(t.elems.iter().map(TypeRef::from_syn).collect())
            }
            _ => TypeRef::Other,
        }
    }
}

fn bound_path<'a>(mut bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> TypeRef {
    bounds
        .find_map(|b| match b {
            syn::TypeParamBound::Trait(tb) => Some(TypeRef::Dyn {
                segs: segs_of(&tb.path),
                leading_colon: tb.path.leading_colon.is_some(),
            }),
            _ => None,
        })
        .unwrap_or(TypeRef::Other)
}

/// A path's segments, as written.
pub(crate) fn segs_of(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The trait bounds of the type parameter `name` of `generics`: in its
/// list, then in `where` clauses.
pub(crate) fn trait_bounds<'g>(
    generics: &'g syn::Generics,
    name: &syn::Ident,
) -> Vec<&'g syn::TraitBound> {
    let listed = generics
        .type_params()
        .filter(|p| p.ident == *name)
        .flat_map(|p| &p.bounds);
    let wheres = generics
        .where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|pred| match pred {
            syn::WherePredicate::Type(t) => match &t.bounded_ty {
                syn::Type::Path(tp) if tp.path.is_ident(name) => Some(&t.bounds),
                _ => None,
            },
            _ => None,
        })
        .flatten();
    traits_of(listed.chain(wheres))
}

/// The trait bounds among `bounds` (lifetimes and the rest left out).
pub(crate) fn traits_of<'g>(
    bounds: impl IntoIterator<Item = &'g syn::TypeParamBound>,
) -> Vec<&'g syn::TraitBound> {
    bounds
        .into_iter()
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(t),
            _ => None,
        })
        .collect()
}

/// A bound that says nothing of the methods a value has: a marker or
/// derived trait (`T: Send + Clone`).
pub(crate) fn is_marker_bound(tb: &syn::TraitBound) -> bool {
    tb.path.segments.last().is_some_and(|s| {
        matches!(
            s.ident.to_string().as_str(),
            "Send"
                | "Sync"
                | "Sized"
                | "Unpin"
                | "Copy"
                | "Clone"
                | "Debug"
                | "Display"
                | "Default"
        )
    })
}

/// Types that wrap a value and give its methods through `Deref` or by
/// forwarding them: `Arc<Mutex<T>>` locks like a `Mutex`, a `BufReader<File>`
/// reads like a `File`, axum's `State<AppState>` and actix's `Data<AppState>`
/// hold an `AppState`, a `LazyLock<Client>` is a `Client` once made. `Option` and `Result` are looked through too: the
/// walker follows values after `?`, `unwrap()` and `Some(x)` patterns, and the
/// combinators that exist on both keep the type.
pub(crate) const WRAPPERS: &[&str] = &[
    "Arc",
    "Rc",
    "Box",
    "Pin",
    "BufReader",
    "BufWriter",
    "LineWriter",
    "Data",
    "State",
    "Extension",
    "Option",
    "Result",
    // A lazily made static (`static CLIENT: LazyLock<Client>`) derefs to
    // its value.
    "LazyLock",
    "LazyCell",
    "Lazy",
    // A guard in a signature derefs to what it guards.
    "MutexGuard",
    "RwLockReadGuard",
    "RwLockWriteGuard",
    "ReentrantMutexGuard",
    "MappedMutexGuard",
];

/// What a type alias stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Alias {
    /// A type, resolved: `type Db = sled::Db`.
    To(Ty),
    /// A wrapper over the alias's first parameter, which the walker looks
    /// through as it does the wrapper: `type Result<T> = std::result::Result<T,
    /// Error>` makes `Result<Conn>` a `Conn`.
    Transparent,
}

/// Locks whose type records what they guard (a `RefCell` too: its
/// `borrow_mut()` hands out the value as a guard does).
pub(crate) const LOCKS: &[&str] = &["Mutex", "RwLock", "ReentrantMutex", "RefCell"];

/// Resolves a lowered type to what the walker knows of it, with `resolve`
/// turning written path segments into a full path and `alias` expanding the
/// code's own type aliases.
pub(crate) fn resolve_type_ref(
    t: &TypeRef,
    resolve: &dyn Fn(&[String], bool) -> Option<String>,
    alias: &dyn Fn(&str) -> Option<Alias>,
) -> Option<Ty> {
    match t {
        TypeRef::Ref(inner) => resolve_type_ref(inner, resolve, alias),
        TypeRef::Path {
            segs,
            leading_colon,
            args,
        } => {
            let last = segs.last()?;
            if WRAPPERS.contains(&last.as_str()) {
                if let Some(inner) = args.first() {
                    return resolve_type_ref(inner, resolve, alias);
                }
            }
            // The prelude's `Vec` is imported nowhere.
            let path = match segs.as_slice() {
                [only] if only == "Vec" => "std::vec::Vec".to_owned(),
                _ => resolve(segs, *leading_colon)?,
            };
            let ty = match alias(&path) {
                // `type Shared<T> = Rc<RefCell<T>>`: `Shared<Version>`
                // guards a `Version`.
                Some(Alias::To(t)) if !args.is_empty() => {
                    // An argument that does not resolve stays a parameter:
                    // as unknown as before.
                    let given: Vec<Ty> = args
                        .iter()
                        .enumerate()
                        .map(|(i, a)| {
                            resolve_type_ref(a, resolve, alias)
                                .unwrap_or_else(|| Ty::new(format!("${i}")))
                        })
                        .collect();
                    t.substituted(&given)
                }
                Some(Alias::To(t)) => t,
                Some(Alias::Transparent) => {
                    return resolve_type_ref(args.first()?, resolve, alias);
                }
                None => Ty::new(path),
            };
            // A lock remembers what it guards: `m.lock().unwrap()` has the
            // inner value's methods.
            if LOCKS.contains(&last.as_str()) {
                if let Some(inner) = args
                    .iter()
                    .find_map(|a| resolve_type_ref(a, resolve, alias))
                {
                    return Some(Ty::guarding(ty.path, inner));
                }
            }
            // `Reader<File>`: a library type over a file reads from it.
            let resolved: Vec<Ty> = args
                .iter()
                .map(|a| resolve_type_ref(a, resolve, alias).unwrap_or_default())
                .collect();
            let io = resolved
                .iter()
                .find_map(|a| a.io_kind().filter(|k| *k != crate::io::IoKind::Generic));
            let ty = Ty {
                args: if ty.args.is_empty() {
                    resolved
                } else {
                    ty.args
                },
                ..ty
            };
            Some(match io {
                Some(k) => ty.with_io(k),
                None => ty,
            })
        }
        TypeRef::Dyn {
            segs,
            leading_colon,
        } => resolve(segs, *leading_colon).map(Ty::new),
        TypeRef::AddressLiteral => Some(Ty::address_literal()),
        TypeRef::Tuple(_) | TypeRef::Other => None,
    }
}

/// One name a module can see.
#[derive(Clone, Debug)]
struct Binding {
    /// The full path it stands for (`crate::db::Pool`, `reqwest::blocking::Client`).
    target: String,
    /// Visible to modules that are not descendants (`pub`, `pub(crate)`, ...).
    public: bool,
}

/// What one module sees. The walker's scopes borrow it from the model
/// rather than copy it into each file's scope, which showed in profiles: a
/// crate root sees hundreds of names, and every file starts there.
#[derive(Clone, Debug, Default)]
pub(crate) struct Module {
    names: HashMap<String, Binding>,
    /// Glob imports of paths outside the crate (`use std::fs::*`).
    ext_globs: Vec<String>,
    /// Glob imports of the crate's own modules, with whether they are `pub use`.
    globs: Vec<(String, bool)>,
    /// Holds a fn under its [`value_key`], shadowed by a module of its name.
    shadows: bool,
}

impl Module {
    /// The full path `name` stands for here.
    pub(crate) fn target(&self, name: &str) -> Option<&str> {
        self.names.get(name).map(|b| b.target.as_str())
    }

    /// Every full path a name here stands for.
    pub(crate) fn targets(&self) -> impl Iterator<Item = &str> {
        self.names.values().map(|b| b.target.as_str())
    }

    /// The glob imports of paths outside the crate.
    pub(crate) fn ext_globs(&self) -> &[String] {
        &self.ext_globs
    }
}

/// What the closures a fn takes are given: for each input that takes one
/// (its index, `self` counted), the types of the closure's arguments, where
/// they resolve.
pub(crate) type ClosureArgs = Vec<(usize, Vec<Option<Ty>>)>;

/// A crate's items, imports and types, across all its files.
#[derive(Clone, Debug, Default)]
pub struct CrateModel {
    modules: HashMap<String, Module>,
    /// Return types of fns and methods: `crate::db::connect`, `crate::db::Db::get`.
    pub(crate) fn_returns: HashMap<String, Ty>,
    /// The element types of fns that return a tuple (a channel constructor's
    /// `(Sender<T>, Receiver<T>)`), where they resolve.
    pub(crate) fn_tuples: HashMap<String, Vec<Option<Ty>>>,
    /// What the closures a fn takes are given, where it resolves: input
    /// index (`self` counted) -> the closure's argument types
    /// (`with_conn(|c| ..)` hands `c` a `&mut rusqlite::Connection`).
    pub(crate) fn_closures: HashMap<String, ClosureArgs>,
    /// Field types of structs: struct path -> field -> type.
    pub(crate) fields: HashMap<String, HashMap<String, Ty>>,
    /// Enums' default variants: enum path -> variant name (see
    /// [`ModItems::enum_defaults`]).
    enum_defaults: HashMap<String, String>,
    /// Type aliases: alias path -> what it stands for.
    pub(crate) aliases: HashMap<String, Alias>,
    /// Types of consts and statics.
    pub(crate) values: HashMap<String, Ty>,
    /// Every fn and method, by path.
    fns: HashSet<String>,
    /// `Deref` targets: type -> the type its methods come from too.
    derefs: HashMap<String, String>,
    /// The traits each type implements (`impl Trait for T`): type -> traits.
    impl_traits: HashMap<String, Vec<String>>,
    /// Supertraits: trait -> the traits it builds on.
    supertraits: HashMap<String, Vec<String>>,
    /// Provided methods of traits: `Trait::method` -> the methods its body
    /// calls on `self`.
    provided: HashMap<String, Vec<String>>,
    /// Associated types set in trait impls: `Type::Name` -> the type
    /// (`SqliteConnectionManager::Connection` -> `rusqlite::Connection`).
    assoc_types: HashMap<String, Ty>,
    /// The crate's own types that implement each trait, test doubles
    /// (`#[cfg(test)]`) left out: trait -> types.
    trait_impls: HashMap<String, Vec<String>>,
    /// Fns marked `#[pollguard::blocking]`.
    pub(crate) marked: HashSet<String>,
    /// The code's own offloaders: fns and methods that hand a closure
    /// parameter to an offloader, or call it inside a closure they hand to
    /// one, directly or through another of the code's own.
    pub(crate) offloaders: HashSet<String>,
    /// The same, sorted, made once for all the crate's files.
    sorted_offloaders: std::sync::OnceLock<Arc<[String]>>,
    /// The crate's unique key among all crates read (see [`CrateModel::set_key`]).
    key: String,
    /// The native library the crate links (`links =` in its manifest).
    links: Option<String>,
    /// The models of the crates this one depends on, by the name its code
    /// spells them with (renames applied), read from their sources.
    externs: HashMap<String, Arc<LazyModel>>,
    /// Names the crate root gives dependencies with `extern crate x as y;`:
    /// `y` -> `x`, usable from every module.
    extern_prelude: HashMap<String, String>,
}

/// A dependency's model, built the first time a lookup goes into it: of
/// the hundreds of crates a workspace depends on, its code names a few
/// dozen, and a caller that keeps models on disk builds only those.
pub struct LazyModel {
    /// The crate's key ([`CrateModel::set_key`]), known before it is built.
    key: String,
    /// The model, once built.
    cell: std::sync::OnceLock<Arc<CrateModel>>,
    /// What builds it, until it is built.
    init: std::sync::Mutex<Option<ModelInit>>,
    /// Whether a lookup asked for it (see [`LazyModel::was_asked`]).
    asked: std::sync::atomic::AtomicBool,
}

/// What builds a [`LazyModel`].
type ModelInit = Box<dyn FnOnce() -> CrateModel + Send>;

impl LazyModel {
    /// A model built by `init` when first needed; `key` must be the key
    /// the built model has.
    pub fn new(key: impl Into<String>, init: impl FnOnce() -> CrateModel + Send + 'static) -> Self {
        LazyModel {
            key: key.into(),
            cell: std::sync::OnceLock::new(),
            init: std::sync::Mutex::new(Some(Box::new(init))),
            asked: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A model built already.
    pub fn ready(model: Arc<CrateModel>) -> Self {
        let cell = std::sync::OnceLock::new();
        let key = model.key.clone();
        let _ = cell.set(model);
        LazyModel {
            key,
            cell,
            init: std::sync::Mutex::new(None),
            asked: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The model, built now if it was not yet (once, whichever thread asks).
    pub fn get(&self) -> &CrateModel {
        use std::sync::atomic::Ordering::Relaxed;
        // Read first: the flag's line stays shared between the workers.
        if !self.asked.load(Relaxed) {
            self.asked.store(true, Relaxed);
        }
        self.built()
    }

    /// Builds the model ahead of the lookups that will need it, without
    /// counting as one of them (see [`LazyModel::was_asked`]).
    pub fn prebuild(&self) {
        self.built();
    }

    /// Whether [`LazyModel::get`] was called since the model was made or
    /// [`LazyModel::forget_asked`]: the models one walk goes into are
    /// likely those the next walk of the same code will.
    pub fn was_asked(&self) -> bool {
        self.asked.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts the lookups from now on only.
    pub fn forget_asked(&self) {
        self.asked
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    fn built(&self) -> &CrateModel {
        self.cell.get_or_init(|| {
            let init = self.init.lock().unwrap_or_else(|e| e.into_inner()).take();
            Arc::new(init.map_or_else(CrateModel::default, |f| f()))
        })
    }

    /// Whether this is the model `other`, without building it: a model not
    /// built yet is known by its key (keys are unique among the crates of
    /// one run).
    fn is(&self, other: &CrateModel) -> bool {
        match self.cell.get() {
            Some(m) => std::ptr::eq(Arc::as_ptr(m), other),
            None => !self.key.is_empty() && self.key == other.key,
        }
    }

    /// Whether two handles are of one crate's model (see [`LazyModel::is`]).
    fn same_as(&self, other: &LazyModel) -> bool {
        match (self.cell.get(), other.cell.get()) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => !self.key.is_empty() && self.key == other.key,
        }
    }
}

impl std::fmt::Debug for LazyModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyModel")
            .field("key", &self.key)
            .field("built", &self.cell.get().is_some())
            .finish()
    }
}

/// How far a path is followed through crates that re-export other crates'
/// items (`pub use postgres::Client;`): chains are short, the cap stops a cycle.
const EXTERN_HOPS: usize = 8;

/// A module's declarations waiting for the fixed point.
struct Pending<'a> {
    module: String,
    items: &'a ModItems,
    /// Inside an inline `#[cfg(test)]` module.
    test: bool,
}

impl CrateModel {
    /// Builds the model of one crate from its files' items, each with the
    /// module path it has in the crate (`["crate", "server", "db"]`).
    /// `extra_offloaders` are the user's configured offloader paths.
    pub fn build<'a>(
        files: impl IntoIterator<Item = (&'a [String], &'a FileItems)>,
        extra_offloaders: &[String],
    ) -> CrateModel {
        let mut model = CrateModel::default();
        let mut pending = Vec::new();
        for (module, items) in files {
            collect(&module.join("::"), &items.root, false, &mut pending);
        }
        // Own items, then explicit imports (which need to know which names
        // are the module's own: `use db::query;` names a child module).
        for p in &pending {
            let m = model.modules.entry(p.module.clone()).or_default();
            for (name, public) in &p.items.decls {
                m.names.insert(
                    name.clone(),
                    Binding {
                        target: join(&p.module, name),
                        public: *public,
                    },
                );
            }
            for (name, krate) in &p.items.extern_crates {
                // At the root, `extern crate libssh2_sys as raw;` names the
                // crate in every module (the extern prelude).
                if p.module == "crate" && name != krate && krate != "self" {
                    model.extern_prelude.insert(name.clone(), krate.clone());
                }
                let m = model.modules.entry(p.module.clone()).or_default();
                m.names.insert(
                    name.clone(),
                    Binding {
                        target: krate.clone(),
                        public: false,
                    },
                );
            }
        }
        let fn_paths: HashSet<String> = pending
            .iter()
            .flat_map(|p| p.items.fns.iter().map(|f| join(&p.module, &f.name)))
            .collect();
        let module_paths: HashSet<&str> = pending.iter().map(|p| p.module.as_str()).collect();
        // Twice: a `use` may build on a name a later `use` of its module
        // binds; the second pass sees every binding of the first.
        for p in pending.iter().chain(&pending) {
            for u in &p.items.uses {
                let target = model.absolute(&p.module, &u.path, u.leading_colon);
                let m = model.modules.entry(p.module.clone()).or_default();
                match &u.name {
                    Some(name) => {
                        // `pub mod time;` and `pub use self::time::time;`:
                        // the fn goes in the value namespace, the module
                        // keeps the name (see `resolve_globs`).
                        let shadows_child = fn_paths.contains(&target) && {
                            let child = join(&p.module, name);
                            module_paths.contains(child.as_str())
                                && m.names.get(name).is_some_and(|b| b.target == child)
                        };
                        // A fn of the module and an import of the same name
                        // cannot both be values (rustc refuses it): the
                        // import is a macro or a type (execute's `pub use
                        // execute_command_macro::command;` beside its `fn
                        // command`), and a call names the fn.
                        let own = join(&p.module, name);
                        if target != own && fn_paths.contains(&own) {
                            continue;
                        }
                        let key = if shadows_child {
                            m.shadows = true;
                            value_key(name)
                        } else {
                            name.clone()
                        };
                        m.names.insert(
                            key,
                            Binding {
                                target,
                                public: u.public,
                            },
                        );
                    }
                    None if target == "crate" || target.starts_with("crate::") => {
                        if !m.globs.iter().any(|(t, _)| *t == target) {
                            m.globs.push((target, u.public));
                        }
                    }
                    None => {
                        if !m.ext_globs.contains(&target) {
                            m.ext_globs.push(target);
                        }
                    }
                }
            }
        }
        model.resolve_globs(&fn_paths);
        model.signatures(&pending);
        model.offloaders(&pending, extra_offloaders);
        model
    }

    /// Makes a `use` path absolute.
    fn absolute(&self, module: &str, segs: &[String], leading_colon: bool) -> String {
        let Some(first) = segs.first() else {
            return module.to_owned();
        };
        if leading_colon {
            return segs.join("::");
        }
        let rest = |from: usize, head: &str| {
            let mut s = head.to_owned();
            for seg in &segs[from..] {
                s.push_str("::");
                s.push_str(seg);
            }
            s
        };
        match first.as_str() {
            "crate" => segs.join("::"),
            "self" => rest(1, module),
            "super" => {
                let mut m: Vec<&str> = module.split("::").collect();
                let mut i = 0;
                while segs.get(i).map(String::as_str) == Some("super") {
                    if m.len() > 1 {
                        m.pop();
                    }
                    i += 1;
                }
                rest(i, &m.join("::"))
            }
            // 2018 uniform paths: a name the module declares wins over a crate.
            // A name another `use` binds counts too: `use lmdb_sys as ffi;
            // pub use ffi::mdb_txn_begin;`. Not one that names the crate it
            // comes from (`use glob::glob;` binds `glob` to `glob::glob`).
            name => match self.modules.get(module).and_then(|m| m.names.get(name)) {
                Some(b)
                    if b.target.starts_with("crate")
                        || b.target != *name && !b.target.starts_with(&format!("{name}::")) =>
                {
                    rest(1, &b.target.clone())
                }
                _ => segs.join("::"),
            },
        }
    }

    /// Glob imports of the crate's own modules, to a fixed point: each round
    /// copies the names a glob's source can see and the importer does not
    /// bind by name; it stops when a round adds nothing.
    ///
    /// Modules and fns live in two namespaces: `mod uptime; pub use
    /// uptime::*;` binds `uptime` to the module and brings the fn `uptime`
    /// too, which is kept under [`value_key`] and passed on by later globs.
    fn resolve_globs(&mut self, fn_paths: &HashSet<String>) {
        let importers: Vec<String> = self
            .modules
            .iter()
            .filter(|(_, m)| !m.globs.is_empty())
            .map(|(k, _)| k.clone())
            .collect();
        // Each round adds at least one name or ends; the cap guards a bug.
        for _ in 0..64 {
            let mut changed = false;
            for importer in &importers {
                let globs = self.modules[importer].globs.clone();
                for (source, public_glob) in globs {
                    let source = self.module_of(&source);
                    let Some(src) = self.modules.get(&source) else {
                        continue;
                    };
                    // Private names are visible only inside the module and its
                    // descendants.
                    let sees_private =
                        importer == &source || importer.starts_with(&format!("{source}::"));
                    let mut add: Vec<(String, Binding)> = src
                        .names
                        .iter()
                        .filter(|(_, b)| b.public || sees_private)
                        .map(|(n, b)| {
                            (
                                n.clone(),
                                Binding {
                                    target: b.target.clone(),
                                    public: public_glob,
                                },
                            )
                        })
                        .collect();
                    let ext = src.ext_globs.clone();
                    let shadowed_fn = |m: &Module, n: &str, b: &Binding| {
                        fn_paths.contains(&b.target)
                            && m.names
                                .get(n)
                                .is_some_and(|own| self.modules.contains_key(&own.target))
                    };
                    let m = &self.modules[importer];
                    let values: Vec<(String, Binding)> = add
                        .iter()
                        .filter(|(n, b)| shadowed_fn(m, n, b))
                        .map(|(n, b)| (value_key(n), b.clone()))
                        .filter(|(k, _)| !m.names.contains_key(k))
                        .collect();
                    add.extend(values);
                    let m = self.modules.entry(importer.clone()).or_default();
                    add.retain(|(n, _)| !m.names.contains_key(n));
                    if !add.is_empty() {
                        changed = true;
                        // Value keys come from `values` or from the source's
                        // own (a later glob passes them on).
                        m.shadows |= add.iter().any(|(n, _)| is_value_key(n));
                        m.names.extend(add);
                    }
                    for e in ext {
                        if !m.ext_globs.contains(&e) {
                            m.ext_globs.push(e);
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The module a path names, following re-exports of modules
    /// (`pub use crate::inner as api;`).
    fn module_of(&self, path: &str) -> String {
        let resolved = self.resolve_path(path);
        if self.modules.contains_key(&resolved) {
            resolved
        } else {
            path.to_owned()
        }
    }

    /// Follows a crate path through the modules' imports and re-exports to
    /// what it stands for: `crate::prelude::Client::new` becomes
    /// `reqwest::blocking::Client::new` when `prelude` re-exports `Client`.
    /// Paths outside the crate, and paths the model does not know, are
    /// returned as they are.
    pub fn resolve_path(&self, path: &str) -> String {
        let mut path = path.to_owned();
        // Each step follows one import; re-export chains are short, and the
        // cap keeps an import cycle from looping.
        'outer: for _ in 0..16 {
            if !(path == "crate" || path.starts_with("crate::")) {
                return crate::resolve::canonical(path);
            }
            let segs: Vec<&str> = path.split("::").collect();
            let mut module = String::from("crate");
            for (i, seg) in segs.iter().enumerate().skip(1) {
                let Some(m) = self.modules.get(&module) else {
                    return path;
                };
                // The last segment of a call's path is a value: a fn that
                // a module of the same name shadows (see `resolve_globs`).
                // (Most names are plain: the value key, which takes a new
                // string, is looked up only where a module shadows a fn.)
                let value = (i + 1 == segs.len() && m.shadows)
                    .then(|| m.names.get(&value_key(seg)))
                    .flatten();
                let Some(b) = value.or_else(|| m.names.get(*seg)) else {
                    return path;
                };
                if is_child(&b.target, &module, seg) {
                    let own = &b.target;
                    if self.modules.contains_key(own) {
                        module.clone_from(own);
                        continue;
                    }
                    let own = own.clone();
                    // `FtpStream::connect` with `type FtpStream =
                    // ImplFtpStream<NoTlsStream>`: the associated fns are
                    // the aliased type's.
                    if let (Some(Alias::To(ty)), true) =
                        (self.aliases.get(&own), i + 1 < segs.len())
                    {
                        let mut next = ty.path.clone();
                        if next.contains("::") && next != own {
                            for s in &segs[i + 1..] {
                                next.push_str("::");
                                next.push_str(s);
                            }
                            path = next;
                            continue 'outer;
                        }
                    }
                    return path;
                }
                let mut next = b.target.clone();
                for s in &segs[i + 1..] {
                    next.push_str("::");
                    next.push_str(s);
                }
                path = next;
                continue 'outer;
            }
            return path;
        }
        path
    }

    /// Names the crate uniquely among every crate read in one run (two
    /// versions of one library are two crates): the transitive closure keys
    /// fns by it.
    pub fn set_key(&mut self, key: impl Into<String>) {
        self.key = key.into();
    }

    /// The crate's key; empty unless [`CrateModel::set_key`] gave one.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Gives the crate its dependencies' models, by the names its code uses
    /// for them: their return and field types then flow into this crate's
    /// inference, and calls into them resolve to their items.
    pub fn set_externs(&mut self, externs: HashMap<String, Arc<CrateModel>>) {
        self.externs = externs
            .into_iter()
            .map(|(name, m)| (name, Arc::new(LazyModel::ready(m))))
            .collect();
    }

    /// [`CrateModel::set_externs`] with models built when first needed.
    pub fn set_lazy_externs(&mut self, externs: HashMap<String, Arc<LazyModel>>) {
        self.externs = externs;
    }

    /// Records the native library the crate links (its manifest's `links`):
    /// calls of that library's waiting functions are blocking roots (see
    /// [`crate::native`]).
    pub fn set_links(&mut self, links: Option<String>) {
        self.links = links;
    }

    /// The rule of a call of a native library's waiting function, made
    /// from this crate's own `-sys` declarations or through a dependency.
    pub(crate) fn native_call(&self, path: &str) -> Option<&'static crate::catalog::Rule> {
        let name = crate::last_segment(path);
        if path.starts_with("crate::") {
            return crate::native::blocking_call(self.links.as_deref()?, name);
        }
        let (model, _) = self.extern_item(path)?;
        crate::native::blocking_call(model.links.as_deref()?, name)
    }

    /// Whether a fn of this crate or of a dependency runs the closure it is
    /// given off the executor (see [`CrateModel::build`]'s offloaders).
    pub(crate) fn is_offloader(&self, path: &str) -> bool {
        if self.offloaders.contains(path) {
            return true;
        }
        self.extern_item(path)
            .is_some_and(|(model, inner)| model.offloaders.contains(&inner))
    }

    /// Whether a path starts with the name of a dependency this model knows.
    pub fn is_extern(&self, path: &str) -> bool {
        let head = path.split("::").next().unwrap_or(path);
        // Known by name: no need to build the model.
        self.externs.contains_key(head)
            || self
                .extern_prelude
                .get(head)
                .is_some_and(|k| self.externs.contains_key(k))
    }

    /// The model of the dependency a path's first segment names, directly
    /// or through a root `extern crate .. as ..`.
    fn extern_model(&self, head: &str) -> Option<&CrateModel> {
        self.externs
            .get(head)
            .or_else(|| {
                let krate = self.extern_prelude.get(head)?;
                self.externs.get(krate)
            })
            .map(|m| m.get())
    }

    /// The crate and the item a path into a dependency stands for, following
    /// re-exports, also into further crates: `csv::Reader::from_path` is
    /// (`csv`'s key, `reader::Reader::from_path`). `None` for paths into
    /// crates this model was not given.
    pub fn resolve_extern(&self, path: &str) -> Option<(String, String)> {
        let (model, inner) = self.extern_item(path)?;
        let rest = inner.strip_prefix("crate::")?;
        Some((model.key.clone(), rest.to_owned()))
    }

    /// The model that defines what `path` names, and the path inside it
    /// (`crate::..`).
    fn extern_item<'a>(&'a self, path: &str) -> Option<(&'a CrateModel, String)> {
        let (head, rest) = path.split_once("::")?;
        let mut model: &CrateModel = self.extern_model(head)?;
        let mut inner = model.resolve_path(&format!("crate::{rest}"));
        for _ in 0..EXTERN_HOPS {
            if inner == "crate" || inner.starts_with("crate::") {
                return Some((model, inner));
            }
            let (head, rest) = inner.split_once("::")?;
            model = model.externs.get(head)?.get();
            inner = model.resolve_path(&format!("crate::{rest}"));
        }
        None
    }

    /// The return type of a fn or method, of this crate or of a dependency.
    pub(crate) fn fn_return(&self, path: &str) -> Option<Ty> {
        if let Some(t) = self.fn_returns.get(path) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        let t = model.fn_returns.get(&inner)?;
        Some(self.renamed_from(model, t))
    }

    /// The type of a const or static, of this crate or of a dependency.
    pub(crate) fn value_type(&self, path: &str) -> Option<Ty> {
        if let Some(t) = self.values.get(path) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        let t = model.values.get(&inner)?;
        Some(self.renamed_from(model, t))
    }

    /// What the closures a fn or method takes are given (see
    /// [`CrateModel::fn_closures`]), of this crate or of a dependency.
    pub(crate) fn closure_args(&self, path: &str) -> Option<ClosureArgs> {
        if let Some(c) = self.fn_closures.get(path) {
            return Some(c.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        let given = model.fn_closures.get(&inner)?;
        Some(
            given
                .iter()
                .map(|(i, types)| (*i, self.all_renamed_from(model, types)))
                .collect(),
        )
    }

    /// Types of a dependency's `model`, each when known, in this crate's terms.
    fn all_renamed_from(&self, model: &CrateModel, types: &[Option<Ty>]) -> Vec<Option<Ty>> {
        types
            .iter()
            .map(|t| t.as_ref().map(|t| self.renamed_from(model, t)))
            .collect()
    }

    /// The element types of a fn that returns a tuple, of this crate or of
    /// a dependency.
    pub(crate) fn fn_tuple(&self, path: &str) -> Option<Vec<Option<Ty>>> {
        if let Some(t) = self.fn_tuples.get(path) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        let types = model.fn_tuples.get(&inner)?;
        Some(self.all_renamed_from(model, types))
    }

    /// What a type alias of this crate or of a dependency stands for, in
    /// this crate's terms.
    pub(crate) fn alias(&self, path: &str) -> Option<Alias> {
        if let Some(a) = self.aliases.get(path) {
            return Some(a.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        Some(match model.aliases.get(&inner)? {
            Alias::To(t) => Alias::To(self.renamed_from(model, t)),
            Alias::Transparent => Alias::Transparent,
        })
    }

    /// Whether an alias's type is a wrapper (`Result`, `Option`, `Arc`, ..)
    /// whose first argument is the alias's own parameter: a one-segment name
    /// that resolves to nothing in the module.
    fn is_wrapper_of_param(&self, module: &str, ty: &TypeRef) -> bool {
        let TypeRef::Path { segs, args, .. } = ty else {
            return false;
        };
        let Some(TypeRef::Path {
            segs: first,
            args: first_args,
            ..
        }) = args.first()
        else {
            return false;
        };
        segs.last().is_some_and(|l| WRAPPERS.contains(&l.as_str()))
            && first.len() == 1
            && first_args.is_empty()
            && first[0].chars().next().is_some_and(char::is_uppercase)
            && self.resolve_in(module, first, false).is_none()
    }

    /// The variant an enum's `Default` gives, on this crate's enums or a
    /// dependency's.
    pub(crate) fn default_variant(&self, ty: &str) -> Option<&str> {
        if let Some(v) = self.enum_defaults.get(ty) {
            return Some(v);
        }
        let (model, inner) = self.extern_item(ty)?;
        model.enum_defaults.get(&inner).map(String::as_str)
    }

    /// Whether the model knows the fields of this struct or variant.
    pub(crate) fn has_fields(&self, ty: &str) -> bool {
        self.fields.contains_key(ty)
            || self
                .extern_item(ty)
                .is_some_and(|(model, inner)| model.fields.contains_key(&inner))
    }

    /// A field's type, on this crate's types or a dependency's.
    pub(crate) fn field_type(&self, ty: &str, field: &str) -> Option<Ty> {
        if let Some(t) = self.fields.get(ty).and_then(|f| f.get(field)) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(ty)?;
        let t = model.fields.get(&inner)?.get(field)?;
        Some(self.renamed_from(model, t))
    }

    /// A type named inside a dependency, renamed into this crate's terms:
    /// its `crate::` becomes the dependency's name here, and a third crate's
    /// name becomes the name this crate knows it by (if it does).
    fn renamed_from(&self, model: &CrateModel, ty: &Ty) -> Ty {
        ty.renamed(&|path| self.renamed_path(model, path))
    }

    /// A path named inside a dependency, in this crate's terms (see
    /// [`CrateModel::renamed_from`]).
    fn renamed_path(&self, model: &CrateModel, path: &str) -> String {
        let (head, rest) = path.split_once("::").unwrap_or((path, ""));
        // The third crate is found by identity, without building its model.
        let found = if head == "crate" {
            self.externs.iter().find(|(_, m)| m.is(model))
        } else {
            let Some(target) = model.externs.get(head) else {
                return path.to_owned();
            };
            self.externs
                .iter()
                .find(|(_, m)| Arc::ptr_eq(m, target) || m.same_as(target))
        };
        match found {
            Some((name, _)) if rest.is_empty() => name.clone(),
            Some((name, _)) => join(name, rest),
            None => path.to_owned(),
        }
    }

    /// The code's own offloaders, sorted.
    pub(crate) fn sorted_offloaders(&self) -> Arc<[String]> {
        Arc::clone(self.sorted_offloaders.get_or_init(|| {
            let mut v: Vec<String> = self.offloaders.iter().cloned().collect();
            v.sort();
            v.into()
        }))
    }

    /// What module `module` can see, borrowed for the walker's scopes.
    pub(crate) fn module_scope(&self, module: &str) -> Option<&Module> {
        self.modules.get(module)
    }

    /// Resolves written segments as module `module` sees them, for types in
    /// signatures and fields.
    fn resolve_in(&self, module: &str, segs: &[String], leading_colon: bool) -> Option<String> {
        let first = segs.first()?;
        if leading_colon {
            return Some(crate::resolve::canonical(segs.join("::")));
        }
        let full = match first.as_str() {
            "crate" | "self" | "super" => self.absolute(module, segs, false),
            name => match self.modules.get(module).and_then(|m| m.names.get(name)) {
                Some(b) => {
                    let mut s = b.target.clone();
                    for seg in &segs[1..] {
                        s.push_str("::");
                        s.push_str(seg);
                    }
                    s
                }
                None => {
                    let globs = self.modules.get(module).map_or(&[][..], |m| &m.ext_globs);
                    match globs {
                        // One glob of an outside path: the name is most likely its.
                        [g] if segs.len() == 1 || first.starts_with(char::is_uppercase) => {
                            format!("{g}::{}", segs.join("::"))
                        }
                        _ if segs.len() > 1 => segs.join("::"),
                        _ => return None,
                    }
                }
            },
        };
        Some(self.resolve_path(&full))
    }

    fn resolve_type_in(&self, module: &str, t: &TypeRef, self_ty: Option<&str>) -> Option<Ty> {
        self.resolve_type_with(module, t, self_ty, &[])
    }

    /// [`CrateModel::resolve_type_in`] inside an impl whose self type takes
    /// `params` (see [`ImplDecl::params`]): a parameter is written `$i`, its
    /// position, and an associated type of one `$i::Name`.
    fn resolve_type_with(
        &self,
        module: &str,
        t: &TypeRef,
        self_ty: Option<&str>,
        params: &[String],
    ) -> Option<Ty> {
        resolve_type_ref(
            t,
            &|segs, lc| match (segs.first().map(String::as_str), self_ty) {
                (Some(first), _) if !lc && params.iter().any(|p| p == first) => {
                    let i = params.iter().position(|p| p == first)?;
                    let mut p = format!("${i}");
                    for seg in &segs[1..] {
                        p.push_str("::");
                        p.push_str(seg);
                    }
                    Some(p)
                }
                (Some("Self"), Some(s)) => {
                    let mut p = s.to_owned();
                    for seg in &segs[1..] {
                        p.push_str("::");
                        p.push_str(seg);
                    }
                    Some(p)
                }
                _ => self.resolve_in(module, segs, lc),
            },
            &|p| self.alias(p),
        )
    }

    /// Aliases, then field types, return types and value types, each in the
    /// scope of the module that declares it.
    fn signatures(&mut self, pending: &[Pending<'_>]) {
        // Aliases may name other aliases: a few rounds settle them.
        for _ in 0..4 {
            let mut changed = false;
            for p in pending {
                for (name, params, ty) in &p.items.aliases {
                    let alias = if self.is_wrapper_of_param(&p.module, ty) {
                        Some(Alias::Transparent)
                    } else {
                        // A generic alias's parameters are written `$i`,
                        // replaced by the arguments where it is used.
                        self.resolve_type_with(&p.module, ty, None, params)
                            .map(Alias::To)
                    };
                    if let Some(t) = alias {
                        let key = join(&p.module, name);
                        if self.aliases.get(&key) != Some(&t) {
                            self.aliases.insert(key, t);
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        for p in pending {
            let m = &p.module;
            for (name, fields) in &p.items.structs {
                let path = join(m, name);
                let map: HashMap<String, Ty> = fields
                    .iter()
                    .filter_map(|(f, ty)| {
                        Some((f.clone(), self.resolve_type_in(m, ty, Some(&path))?))
                    })
                    .collect();
                if !map.is_empty() {
                    self.fields.insert(path, map);
                }
            }
            for (name, variant) in &p.items.enum_defaults {
                self.enum_defaults.insert(join(m, name), variant.clone());
            }
            for (name, ty) in &p.items.values {
                if let Some(t) = self.resolve_type_in(m, ty, None) {
                    self.values.insert(join(m, name), t);
                }
            }
            for f in &p.items.fns {
                self.fn_decl(m, &join(m, &f.name), f, None);
            }
            for (trait_name, fns) in &p.items.traits {
                let owner = join(m, trait_name);
                for f in fns {
                    let path = join(&owner, &f.name);
                    self.fn_decl(m, &path, f, Some(&owner));
                    self.provided.insert(path, f.self_calls.clone());
                }
            }
            for (trait_name, supers) in &p.items.supertraits {
                let owner = join(m, trait_name);
                let resolved: Vec<String> = supers
                    .iter()
                    .filter_map(|t| match t {
                        TypeRef::Path {
                            segs,
                            leading_colon,
                            ..
                        } => self.resolve_in(m, segs, *leading_colon),
                        _ => None,
                    })
                    .collect();
                if !resolved.is_empty() {
                    self.supertraits.insert(owner, resolved);
                }
            }
            // Only the type: the method has no body of its own, and is not
            // one of the crate's fns.
            for (trait_name, name, ty) in &p.items.required_returns {
                let owner = join(m, trait_name);
                if let Some(t) = self.resolve_type_with(m, ty, Some(&owner), &[]) {
                    self.fn_returns.insert(join(&owner, name), t);
                }
            }
            for i in &p.items.impls {
                let Some(owner) = self.impl_owner(m, &i.self_ty) else {
                    continue;
                };
                for f in &i.fns {
                    let path = join(&owner, &f.name);
                    self.fn_decl_in(m, &path, f, Some(&owner), &i.params);
                }
                for (name, ty) in &i.assoc {
                    if let Some(t) = self.resolve_type_with(m, ty, Some(&owner), &i.params) {
                        self.assoc_types.insert(join(&owner, name), t);
                    }
                }
                if let Some(TypeRef::Path {
                    segs,
                    leading_colon,
                    ..
                }) = &i.of_trait
                {
                    if let Some(tr) = self.resolve_in(m, segs, *leading_colon) {
                        if !(p.test || i.test_only) {
                            self.trait_impls
                                .entry(tr.clone())
                                .or_default()
                                .push(owner.clone());
                        }
                        self.impl_traits.entry(owner.clone()).or_default().push(tr);
                    }
                }
                if let Some(t) = i
                    .deref_to
                    .as_ref()
                    .and_then(|t| self.resolve_type_with(m, t, Some(&owner), &i.params))
                {
                    self.derefs.insert(owner, t.path);
                }
            }
        }
    }

    /// The fn a method call `ty.name()` names: `ty`'s own, or, when `ty`
    /// has none of that name and derefs to another type
    /// (`ConnectionThreadSafe` to `Connection`), that type's.
    pub(crate) fn method_of(&self, ty: &str, name: &str) -> String {
        let mut owner = ty.to_owned();
        for _ in 0..4 {
            let path = join(&owner, name);
            if self.has_fn(&path) {
                return path;
            }
            if let Some(path) = self.super_method(&owner, name) {
                return path;
            }
            match self.deref_of(&owner) {
                Some(next) if next != owner => owner = next,
                _ => break,
            }
        }
        join(ty, name)
    }

    /// Where a call `ty.name()` of a trait's provided method goes, for a
    /// type (or what it derefs to) that has the method only through `impl
    /// Trait for ty`: the provided method (`Transaction::get`, whose body
    /// may block itself), and the first of the type's own methods that the
    /// body reaches through its calls on `self` (`conn.query(..)` →
    /// `Conn::query_iter`, what the impl writes), which the provided body,
    /// walked once for every impl, cannot name. `None` when `ty` has a
    /// method of that name or no trait provides one.
    pub(crate) fn provided_target(&self, ty: &str, name: &str) -> Option<(String, Option<String>)> {
        let mut owner = ty.to_owned();
        for _ in 0..4 {
            if self.has_fn(&join(&owner, name)) {
                return None;
            }
            for tr in self.traits_of(&owner) {
                let provided = join(&tr, name);
                if self.provided_calls(&provided).is_some() {
                    return Some((provided, self.provided_reach(&owner, &tr, name)));
                }
            }
            match self.deref_of(&owner) {
                Some(next) if next != owner => owner = next,
                _ => break,
            }
        }
        None
    }

    /// The crate's own types that implement the trait `tr` (not under
    /// `#[cfg(test)]`), and define a method `name` themselves: where a call
    /// of `name` on a `dyn tr` may go.
    pub(crate) fn impls_of(&self, tr: &str, name: &str) -> Vec<String> {
        self.trait_impls
            .get(tr)
            .map(|owners| {
                owners
                    .iter()
                    .map(|o| join(o, name))
                    .filter(|p| self.fns.contains(p))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Through the provided method `tr::name` and the provided methods it
    /// calls on `self`, the first method `owner` writes itself.
    fn provided_reach(&self, owner: &str, tr: &str, name: &str) -> Option<String> {
        let mut queue = VecDeque::from([self.provided_calls(&join(tr, name))?]);
        let mut seen: HashSet<String> = std::iter::once(name.to_owned()).collect();
        while let Some(calls) = queue.pop_front() {
            for x in calls {
                let own = join(owner, &x);
                if self.has_fn(&own) {
                    return Some(own);
                }
                if seen.insert(x.clone()) {
                    if let Some(next) = self.provided_calls(&join(tr, &x)) {
                        queue.push_back(next);
                    }
                }
            }
        }
        None
    }

    /// The traits a type of this crate or of a dependency implements.
    fn traits_of(&self, ty: &str) -> Vec<String> {
        let mut out: Vec<String> = self.impl_traits.get(ty).cloned().unwrap_or_default();
        if let Some((model, inner)) = self.extern_item(ty) {
            if let Some(traits) = model.impl_traits.get(&inner) {
                out.extend(traits.iter().map(|t| self.renamed_path(model, t)));
            }
        }
        out
    }

    /// The supertraits of a trait of this crate or a dependency.
    fn supertraits_of(&self, tr: &str) -> Vec<String> {
        if let Some(supers) = self.supertraits.get(tr) {
            return supers.clone();
        }
        let Some((model, inner)) = self.extern_item(tr) else {
            return Vec::new();
        };
        model
            .supertraits
            .get(&inner)
            .map_or_else(Vec::new, |supers| {
                supers.iter().map(|t| self.renamed_path(model, t)).collect()
            })
    }

    /// A method a trait has from one of its supertraits (odbc-api's
    /// `Cursor: ResultSetMetadata: AsStatementRef`, whose `as_stmt_ref` a
    /// provided method of `Cursor` calls on `self`): a method with a body,
    /// or one whose declared type is known.
    fn super_method(&self, tr: &str, name: &str) -> Option<String> {
        let mut level = self.supertraits_of(tr);
        for _ in 0..4 {
            if level.is_empty() {
                return None;
            }
            for t in &level {
                let path = join(t, name);
                if self.has_fn(&path) || self.fn_return(&path).is_some() {
                    return Some(path);
                }
            }
            level = level.iter().flat_map(|t| self.supertraits_of(t)).collect();
        }
        None
    }

    /// The `self` calls of a provided method of this crate or a dependency.
    fn provided_calls(&self, path: &str) -> Option<Vec<String>> {
        if let Some(calls) = self.provided.get(path) {
            return Some(calls.clone());
        }
        let (model, inner) = self.extern_item(path)?;
        model.provided.get(&inner).cloned()
    }

    /// [`CrateModel::method_of`] for a type with its arguments: a `Deref`
    /// target that names the type's parameters (r2d2's `PooledConnection<M>`
    /// derefs to `M::Connection`) is followed with the receiver's own
    /// (`rusqlite::Connection` for an `SqliteConnectionManager`). Answers
    /// the method's path and the type that has it.
    pub(crate) fn method_of_ty(&self, ty: &Ty, name: &str) -> (String, Ty) {
        let mut owner = ty.clone();
        for _ in 0..4 {
            let path = join(&owner.path, name);
            if self.has_fn(&path) {
                return (path, owner);
            }
            if let Some(path) = self.super_method(&owner.path, name) {
                return (path, owner);
            }
            match self.deref_ty(&owner) {
                Some(next) if next.path != owner.path => owner = next,
                _ => break,
            }
        }
        (join(&ty.path, name), ty.clone())
    }

    /// What a type derefs to, its parameters and their associated types
    /// taken from its arguments.
    fn deref_ty(&self, ty: &Ty) -> Option<Ty> {
        let target = self.deref_of(&ty.path)?;
        let Some(rest) = target.strip_prefix('$') else {
            return Some(Ty::new(target));
        };
        let (i, assoc) = rest
            .split_once("::")
            .map_or((rest, None), |(i, a)| (i, Some(a)));
        let arg = ty.args.get(i.parse::<usize>().ok()?)?;
        match assoc {
            None => Some(arg.clone()),
            Some(name) => self.assoc_type(&arg.path, name),
        }
    }

    /// An associated type a trait impl of this crate or a dependency sets.
    fn assoc_type(&self, ty: &str, name: &str) -> Option<Ty> {
        let key = join(ty, name);
        if let Some(t) = self.assoc_types.get(&key) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(&key)?;
        let t = model.assoc_types.get(&inner)?;
        Some(self.renamed_from(model, t))
    }

    /// Whether this crate or a dependency defines the fn or method `path`.
    /// A method an extension trait adds to another crate's type (`impl
    /// ChildExt for std::process::Child`), defined in this crate or in one
    /// of the crates `heads` (those the calling scope imports from): its
    /// path, `std::process::Child::wait_timeout`, as the defining crate
    /// names it.
    /// `heads` is asked only when the crate has dependencies' models.
    pub(crate) fn extension_method<'h>(
        &self,
        heads: impl FnOnce() -> Vec<&'h str>,
        ty: &str,
        name: &str,
    ) -> Option<String> {
        let path = join(ty, name);
        if self.fns.contains(&path) {
            return Some(path);
        }
        if self.externs.is_empty() {
            return None;
        }
        heads()
            .iter()
            .filter(|h| **h != "crate" && !ty.starts_with(&format!("{h}::")))
            .filter_map(|h| self.extern_model(h))
            .any(|m| m.fns.contains(&path))
            .then_some(path)
    }

    /// The `next` a `for` loop or an iterator consumer calls on a value of
    /// this crate's or a dependency's type: the type's own `Iterator::next`,
    /// or that of what its `into_iter` returns (`WalkDir` gives an
    /// `IntoIter`).
    pub(crate) fn iterator_next(&self, ty: &str) -> Option<String> {
        let next = self.method_of(ty, "next");
        if self.has_fn(&next) {
            return Some(next);
        }
        let into = self.method_of(ty, "into_iter");
        if !self.has_fn(&into) {
            return None;
        }
        let it = self.fn_return(&into)?;
        let next = self.method_of(&it.path, "next");
        self.has_fn(&next).then_some(next)
    }

    fn has_fn(&self, path: &str) -> bool {
        self.fns.contains(path)
            || self
                .extern_item(path)
                .is_some_and(|(model, inner)| model.fns.contains(&inner))
    }

    /// What a type of this crate or of a dependency derefs to.
    fn deref_of(&self, ty: &str) -> Option<String> {
        if let Some(t) = self.derefs.get(ty) {
            return Some(t.clone());
        }
        let (model, inner) = self.extern_item(ty)?;
        let t = model.derefs.get(&inner)?;
        Some(self.renamed_path(model, t))
    }

    /// The path methods of an `impl` block are named under.
    pub(crate) fn impl_owner(&self, module: &str, self_ty: &TypeRef) -> Option<String> {
        let TypeRef::Path {
            segs,
            leading_colon,
            ..
        } = self_ty
        else {
            return None;
        };
        Some(
            self.resolve_in(module, segs, *leading_colon)
                .unwrap_or_else(|| format!("{module}::{}", segs.join("::"))),
        )
    }

    fn fn_decl(&mut self, module: &str, path: &str, f: &FnDecl, self_ty: Option<&str>) {
        self.fn_decl_in(module, path, f, self_ty, &[]);
    }

    fn fn_decl_in(
        &mut self,
        module: &str,
        path: &str,
        f: &FnDecl,
        self_ty: Option<&str>,
        params: &[String],
    ) {
        self.fns.insert(path.to_owned());
        if f.marked {
            self.marked.insert(path.to_owned());
        }
        let closures: ClosureArgs = f
            .closure_args
            .iter()
            .map(|(i, args)| {
                let types = args
                    .iter()
                    .map(|a| self.resolve_type_with(module, a, self_ty, params))
                    .collect();
                (*i, types)
            })
            .filter(|(_, types): &(usize, Vec<Option<Ty>>)| types.iter().any(Option::is_some))
            .collect();
        if !closures.is_empty() {
            self.fn_closures.insert(path.to_owned(), closures);
        }
        // `-> &(Mutex<T>, Condvar)` destructures as the tuple does.
        let mut ret = f.ret.as_ref();
        while let Some(TypeRef::Ref(inner)) = ret {
            if !matches!(**inner, TypeRef::Tuple(_)) {
                break;
            }
            ret = Some(inner);
        }
        match ret {
            Some(TypeRef::Tuple(elems)) => {
                let types: Vec<Option<Ty>> = elems
                    .iter()
                    .map(|e| self.resolve_type_with(module, e, self_ty, params))
                    .collect();
                if types.iter().any(Option::is_some) {
                    self.fn_tuples.insert(path.to_owned(), types);
                }
            }
            Some(ret) => {
                if let Some(t) = self.resolve_type_with(module, ret, self_ty, params) {
                    self.fn_returns.insert(path.to_owned(), t);
                }
            }
            None => {}
        }
    }

    /// Offloader wrappers, to a fixed point over names: a fn that hands a
    /// parameter to `spawn_blocking`, or to another wrapper, or calls it in
    /// a closure it hands to one, is one.
    fn offloaders(&mut self, pending: &[Pending<'_>], extra: &[String]) {
        let mut names: HashSet<String> = OFFLOADERS
            .iter()
            .map(|o| match o {
                Offloader::Path(p) => last_segment(p),
                Offloader::Method(m) => m,
            })
            .chain(extra.iter().map(|p| last_segment(p)))
            .map(str::to_owned)
            .collect();
        // Only a fn that sends a closure, bounds one by a trait, or hands
        // one on can be an offloader: the others are not named at all.
        let may_offload =
            |f: &FnDecl| f.sends_closure || !f.bound_traits.is_empty() || !f.forwards.is_empty();
        let mut candidates: Vec<(String, &FnDecl)> = Vec::new();
        for p in pending {
            let m = &p.module;
            for f in p.items.fns.iter().filter(|f| may_offload(f)) {
                candidates.push((join(m, &f.name), f));
            }
            for i in &p.items.impls {
                if !i.fns.iter().any(may_offload) {
                    continue;
                }
                if let Some(owner) = self.impl_owner(m, &i.self_ty) {
                    for f in i.fns.iter().filter(|f| may_offload(f)) {
                        candidates.push((join(&owner, &f.name), f));
                    }
                }
            }
        }
        // A closure that must be `Send + 'static` runs on another thread,
        // and so does one given where a trait declared so is asked for.
        let sent_traits: HashSet<&str> = pending
            .iter()
            .flat_map(|p| p.items.sent_traits.iter().map(String::as_str))
            .collect();
        for (path, f) in &candidates {
            if f.sends_closure
                || f.bound_traits
                    .iter()
                    .any(|t| sent_traits.contains(t.as_str()))
            {
                names.insert(last_segment(path).to_owned());
                self.offloaders.insert(path.clone());
            }
        }
        candidates.retain(|(_, f)| !f.forwards.is_empty());
        loop {
            let before = self.offloaders.len();
            for (path, f) in &candidates {
                if !self.offloaders.contains(path) && f.forwards.iter().any(|c| names.contains(c)) {
                    names.insert(last_segment(path).to_owned());
                    self.offloaders.insert(path.clone());
                }
            }
            if self.offloaders.len() == before {
                break;
            }
        }
    }
}

fn collect<'a>(module: &str, items: &'a ModItems, test: bool, out: &mut Vec<Pending<'a>>) {
    out.push(Pending {
        module: module.to_owned(),
        items,
        test,
    });
    for m in &items.mods {
        if let Some(inline) = &m.inline {
            collect(&join(module, &m.name), inline, test || m.test_only, out);
        }
    }
}

/// The key under which a module keeps a fn that a module of the same name
/// shadows: no identifier spells it.
/// Whether `path` is `{module}::{name}`, without building it.
fn is_child(path: &str, module: &str, name: &str) -> bool {
    path.strip_prefix(module)
        .and_then(|rest| rest.strip_prefix("::"))
        .is_some_and(|rest| rest == name)
}

fn value_key(name: &str) -> String {
    format!("{name}()")
}

/// Whether a name a module keeps is a [`value_key`].
fn is_value_key(name: &str) -> bool {
    name.ends_with("()")
}
