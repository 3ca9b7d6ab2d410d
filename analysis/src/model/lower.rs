//! Lowering a file's items to plain data.
//!
//! syn's trees hold `proc_macro2` spans, which only mean something on the
//! thread that parsed them, so they cannot be handed to the code that builds a
//! crate's model from all its files. Each file is lowered once, on the thread
//! that parsed it, to what the model needs: names, imports, signatures, field
//! types. Bodies are not kept; what the model needs of them (which of its
//! parameters a fn hands to another fn, for offloader wrappers) is recorded.

use super::TypeRef;
use foldhash::HashSet;
use syn::visit::Visit;
use syn::{Attribute, FnArg, ImplItem, Item, Signature, TraitItem, Type, UseTree};

/// The items of one file, ready to join a crate model.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileItems {
    /// The file's top-level module contents.
    pub root: ModItems,
}

/// What one module (a file, or an inline `mod { }`) declares.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModItems {
    /// `use` declarations, one per imported name or glob.
    pub uses: Vec<UseDecl>,
    /// Names of items declared here (`fn`, `struct`, `mod`, ...) and whether
    /// they are visible outside the module.
    pub decls: Vec<(String, bool)>,
    /// Child modules.
    pub mods: Vec<ModDecl>,
    /// Free fns.
    pub fns: Vec<FnDecl>,
    /// `impl` blocks.
    pub impls: Vec<ImplDecl>,
    /// Traits, with the methods that have a default body.
    pub traits: Vec<(String, Vec<FnDecl>)>,
    /// Traits declared `Send + 'static` (`trait EventHandler: Send +
    /// 'static`): what implements them is made to go to another thread.
    #[cfg_attr(feature = "serde", serde(default))]
    pub sent_traits: Vec<String>,
    /// The return types of traits' methods without a default body: trait,
    /// method, type. What a call on a value known only by its trait (`S:
    /// AsStatementRef`, `dyn Store`) gives back.
    #[cfg_attr(feature = "serde", serde(default))]
    pub required_returns: Vec<(String, String, TypeRef)>,
    /// Traits' supertraits as written (`trait Cursor: ResultSetMetadata`),
    /// marker traits left out: a method the trait does not declare is one
    /// of theirs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub supertraits: Vec<(String, Vec<TypeRef>)>,
    /// Structs and their named fields' types.
    pub structs: Vec<(String, Vec<(String, TypeRef)>)>,
    /// `type X<T, ..> = ..;`: the name, the type parameters' names, the type.
    pub aliases: Vec<(String, Vec<String>, TypeRef)>,
    /// Types of `const` and `static` items.
    pub values: Vec<(String, TypeRef)>,
    /// `extern crate x as y;`: `y` names crate `x`.
    pub extern_crates: Vec<(String, String)>,
    /// Enums and the variant their `Default` gives (`#[default]`, or an
    /// `impl Default` that returns one variant): a setting's value until
    /// something sets it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub enum_defaults: Vec<(String, String)>,
}

/// One name (or glob) a `use` brings.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UseDecl {
    /// The name it binds; `None` for a glob.
    pub name: Option<String>,
    /// The path as written (`super`, `self` and `crate` kept), without the name
    /// for globs.
    pub path: Vec<String>,
    /// Written with a leading `::`.
    pub leading_colon: bool,
    /// `pub use` (any visibility but private): a re-export.
    pub public: bool,
}

/// A child module.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ModDecl {
    /// Its name.
    pub name: String,
    /// `#[path = ".."]`, when given.
    pub path_attr: Option<String>,
    /// The contents of an inline module.
    pub inline: Option<ModItems>,
    /// Whether it is test-only code (`#[cfg(test)]`).
    pub test_only: bool,
}

/// A fn or method signature, and what the model needs of its body.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FnDecl {
    /// Its name.
    pub name: String,
    /// Its return type.
    pub ret: Option<TypeRef>,
    /// Carries `#[pollguard::blocking]`.
    pub marked: bool,
    /// Last segments of the fns it hands one of its own parameters to, for a
    /// fn that may take a closure: `fn run<F>(f: F) { spawn_blocking(f) }`
    /// and `fn run<F>(&self, f: F) { block_in_place(move || f(conn)) }`
    /// record the offloader.
    pub forwards: Vec<String>,
    /// A sync fn that takes a closure bounded `Send + 'static`: the bound
    /// exists so that the closure can run on another thread (a thread
    /// pool's `execute`, `rayon::spawn`, a signal handler), so it is an
    /// offloader whatever its body does with it.
    pub sends_closure: bool,
    /// The traits (last segments) that bound a type parameter some
    /// parameter of the fn has, other than the closure and marker traits:
    /// when one of them is `Send + 'static` (see
    /// [`ModItems::sent_traits`]), a closure given there is sent elsewhere
    /// too (notify's `recommended_watcher<F: EventHandler>`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub bound_traits: Vec<String>,
    /// For a trait's provided method, the methods its body calls on `self`,
    /// in order: the way from `conn.query(..)` down to the method every
    /// impl writes (`query_iter`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub self_calls: Vec<String>,
    /// For each input that takes a closure (its index among all the
    /// inputs, `self` included), the types the closure is given: `f: impl
    /// FnOnce(&mut Connection) -> R`, `F: FnMut(&Row)`, `&dyn Fn(Event)`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub closure_args: Vec<(usize, Vec<TypeRef>)>,
}

/// An `impl` block.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ImplDecl {
    /// The type it is for, as written.
    pub self_ty: TypeRef,
    /// Its methods and associated fns.
    pub fns: Vec<FnDecl>,
    /// For `impl Deref for T { type Target = U; }`, the `U`: methods not
    /// found on `T` are `U`'s.
    #[cfg_attr(feature = "serde", serde(default))]
    pub deref_to: Option<TypeRef>,
    /// For `impl Trait for T`, the trait as written: `T`'s calls of the
    /// trait's provided methods end in `T`'s own methods.
    #[cfg_attr(feature = "serde", serde(default))]
    pub of_trait: Option<TypeRef>,
    /// Under `#[cfg(test)]`: a test double, not what the code runs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub test_only: bool,
    /// For each type argument of the self type, the impl's type parameter
    /// it is, if it is one (`impl<M> Pool<M>`: `["M"]`): signatures inside
    /// name the receiver's arguments through them.
    #[cfg_attr(feature = "serde", serde(default))]
    pub params: Vec<String>,
    /// Associated types the impl sets (`type Connection = rusqlite::Connection`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub assoc: Vec<(String, TypeRef)>,
}

impl FileItems {
    /// Reads the `use` paths as Rust 2015 does: relative to the crate root
    /// (`use transaction::Txn;` is `crate::transaction::Txn`, and
    /// `::ffi::f` too), extern crates being names the root binds with
    /// `extern crate`.
    /// `externs` are the names extern crates have in the crate root (its
    /// dependencies', `extern crate x as y` aliases, `std`, `core`,
    /// `alloc`): a path that starts with one names that crate.
    pub fn uses_from_crate_root(&mut self, externs: &[&str]) {
        fn rewrite(m: &mut ModItems, externs: &[&str]) {
            for u in &mut m.uses {
                let first = u.path.first().map(String::as_str);
                let anchored = matches!(first, Some("crate" | "self" | "super"))
                    || first.is_some_and(|f| {
                        ["std", "core", "alloc"].contains(&f) || externs.contains(&f)
                    });
                if !anchored {
                    u.path.insert(0, "crate".to_owned());
                    u.leading_colon = false;
                }
            }
            for md in &mut m.mods {
                if let Some(inline) = &mut md.inline {
                    rewrite(inline, externs);
                }
            }
        }
        rewrite(&mut self.root, externs);
    }

    /// The names `extern crate` binds at the top of this file.
    pub fn extern_crate_names(&self) -> impl Iterator<Item = &str> {
        self.root
            .extern_crates
            .iter()
            .map(|(name, _)| name.as_str())
    }
}

/// Lowers a parsed file.
pub fn lower_file(file: &syn::File) -> FileItems {
    FileItems {
        root: lower_items(&file.items),
    }
}

/// Lowers a list of items (a file's, an inline module's, or the one item an
/// attribute is on).
pub fn lower_items(items: &[Item]) -> ModItems {
    let mut m = ModItems::default();
    for item in items {
        lower_item(item, &mut m);
    }
    m
}

fn is_pub(vis: &syn::Visibility) -> bool {
    !matches!(vis, syn::Visibility::Inherited)
}

fn lower_item(item: &Item, m: &mut ModItems) {
    match item {
        Item::Use(u) => flatten_use(
            &u.tree,
            &mut Vec::new(),
            u.leading_colon.is_some(),
            is_pub(&u.vis),
            &mut m.uses,
        ),
        Item::Fn(f) => {
            m.decls.push((f.sig.ident.to_string(), is_pub(&f.vis)));
            m.fns.push(fn_decl(&f.attrs, &f.sig, Some(&f.block)));
        }
        Item::Mod(md) => {
            m.decls.push((md.ident.to_string(), is_pub(&md.vis)));
            m.mods.push(ModDecl {
                name: md.ident.to_string(),
                path_attr: path_attr(&md.attrs),
                inline: md.content.as_ref().map(|(_, items)| lower_items(items)),
                test_only: is_cfg_test(&md.attrs),
            });
        }
        Item::Struct(s) => {
            m.decls.push((s.ident.to_string(), is_pub(&s.vis)));
            m.structs
                .push((s.ident.to_string(), field_types(&s.fields)));
        }
        Item::Enum(e) => {
            m.decls.push((e.ident.to_string(), is_pub(&e.vis)));
            // A variant's fields are typed like a struct's, under the
            // variant's path: `DataStream::Tcp(stream)` binds a `TcpStream`.
            for v in e.variants.iter().filter(|v| !v.fields.is_empty()) {
                m.structs
                    .push((format!("{}::{}", e.ident, v.ident), field_types(&v.fields)));
            }
            if let Some(v) = e
                .variants
                .iter()
                .find(|v| v.attrs.iter().any(|a| a.path().is_ident("default")))
            {
                m.enum_defaults
                    .push((e.ident.to_string(), v.ident.to_string()));
            }
        }
        Item::Union(u) => m.decls.push((u.ident.to_string(), is_pub(&u.vis))),
        Item::Trait(t) => {
            m.decls.push((t.ident.to_string(), is_pub(&t.vis)));
            let fns = t
                .items
                .iter()
                .filter_map(|it| match it {
                    TraitItem::Fn(f) => f.default.as_ref().map(|b| FnDecl {
                        self_calls: self_calls(b),
                        ..fn_decl(&f.attrs, &f.sig, Some(b))
                    }),
                    _ => None,
                })
                .collect();
            for it in &t.items {
                if let TraitItem::Fn(f) = it {
                    if let (None, syn::ReturnType::Type(_, ty)) = (&f.default, &f.sig.output) {
                        m.required_returns.push((
                            t.ident.to_string(),
                            f.sig.ident.to_string(),
                            TypeRef::from_syn(ty),
                        ));
                    }
                }
            }
            let supers: Vec<TypeRef> = t
                .supertraits
                .iter()
                .filter_map(|b| match b {
                    syn::TypeParamBound::Trait(tb) if !super::is_marker_bound(tb) => {
                        Some(TypeRef::Path {
                            segs: super::segs_of(&tb.path),
                            leading_colon: tb.path.leading_colon.is_some(),
                            args: Vec::new(),
                        })
                    }
                    _ => None,
                })
                .collect();
            if !supers.is_empty() {
                m.supertraits.push((t.ident.to_string(), supers));
            }
            if thread_bound(&t.supertraits) {
                m.sent_traits.push(t.ident.to_string());
            }
            m.traits.push((t.ident.to_string(), fns));
        }
        Item::Type(t) => {
            m.decls.push((t.ident.to_string(), is_pub(&t.vis)));
            let params = t
                .generics
                .type_params()
                .map(|p| p.ident.to_string())
                .collect();
            m.aliases
                .push((t.ident.to_string(), params, TypeRef::from_syn(&t.ty)));
        }
        Item::Const(c) => {
            m.decls.push((c.ident.to_string(), is_pub(&c.vis)));
            m.values.push((c.ident.to_string(), const_type(c)));
        }
        Item::Static(s) => {
            m.decls.push((s.ident.to_string(), is_pub(&s.vis)));
            m.values
                .push((s.ident.to_string(), TypeRef::from_syn(&s.ty)));
        }
        Item::ExternCrate(e) => {
            let name = e.rename.as_ref().map_or(&e.ident, |(_, i)| i).to_string();
            m.decls.push((name.clone(), is_pub(&e.vis)));
            m.extern_crates.push((name, e.ident.to_string()));
        }
        Item::Impl(i) => {
            if let Some(default) = default_variant(i) {
                m.enum_defaults.push(default);
            }
            let fns = i
                .items
                .iter()
                .filter_map(|it| match it {
                    ImplItem::Fn(f) => Some(fn_decl(&f.attrs, &f.sig, Some(&f.block))),
                    _ => None,
                })
                .collect();
            let is_deref = i
                .trait_
                .as_ref()
                .and_then(|(_, p, _)| p.segments.last())
                .is_some_and(|s| s.ident == "Deref");
            let deref_to = i.items.iter().find_map(|it| match it {
                ImplItem::Type(t) if is_deref && t.ident == "Target" => {
                    Some(TypeRef::from_syn(&t.ty))
                }
                _ => None,
            });
            m.impls.push(ImplDecl {
                self_ty: TypeRef::from_syn(&i.self_ty),
                fns,
                deref_to,
                of_trait: i.trait_.as_ref().map(|(_, p, _)| TypeRef::Path {
                    segs: p.segments.iter().map(|s| s.ident.to_string()).collect(),
                    leading_colon: p.leading_colon.is_some(),
                    args: Vec::new(),
                }),
                test_only: is_cfg_test(&i.attrs),
                params: impl_params(i),
                assoc: i
                    .items
                    .iter()
                    .filter_map(|it| match it {
                        ImplItem::Type(t) if i.trait_.is_some() => {
                            Some((t.ident.to_string(), TypeRef::from_syn(&t.ty)))
                        }
                        _ => None,
                    })
                    .collect(),
            });
        }
        _ => {}
    }
}

fn flatten_use(
    tree: &UseTree,
    prefix: &mut Vec<String>,
    leading_colon: bool,
    public: bool,
    out: &mut Vec<UseDecl>,
) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, leading_colon, public, out);
            prefix.pop();
        }
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    out.push(UseDecl {
                        name: Some(last),
                        path: prefix.clone(),
                        leading_colon,
                        public,
                    });
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push(UseDecl {
                    name: Some(name),
                    path,
                    leading_colon,
                    public,
                });
            }
        }
        UseTree::Rename(r) => {
            let mut alias = r.rename.to_string();
            // `use fs4::FileExt as _;` brings a trait's methods into scope
            // under no name: kept under one no identifier can spell, so the
            // methods it adds to other crates' types are found.
            if alias == "_" {
                alias = format!("{}::{} as _", prefix.join("::"), r.ident);
            }
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            out.push(UseDecl {
                name: Some(alias),
                path,
                leading_colon,
                public,
            });
        }
        UseTree::Glob(_) => out.push(UseDecl {
            name: None,
            path: prefix.clone(),
            leading_colon,
            public,
        }),
        UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, leading_colon, public, out);
            }
        }
    }
}

fn fn_decl(attrs: &[Attribute], sig: &Signature, body: Option<&syn::Block>) -> FnDecl {
    let ret = match &sig.output {
        syn::ReturnType::Type(_, ty) => Some(TypeRef::from_syn(ty)),
        syn::ReturnType::Default => None,
    };
    FnDecl {
        name: sig.ident.to_string(),
        ret,
        marked: has_marker(attrs),
        forwards: body.map(|b| forwards(sig, b)).unwrap_or_default(),
        sends_closure: sig.asyncness.is_none() && sends_closure(sig),
        bound_traits: if sig.asyncness.is_none() {
            param_bound_traits(sig)
        } else {
            Vec::new()
        },
        self_calls: Vec::new(),
        closure_args: closure_args(sig),
    }
}

/// The types each closure parameter of `sig` is called with (see
/// [`FnDecl::closure_args`]).
fn closure_args(sig: &Signature) -> Vec<(usize, Vec<TypeRef>)> {
    fn given<'a>(mut bounds: impl Iterator<Item = &'a syn::TraitBound>) -> Option<Vec<TypeRef>> {
        bounds.find_map(|t| {
            let last = t.path.segments.last()?;
            if !matches!(last.ident.to_string().as_str(), "Fn" | "FnMut" | "FnOnce") {
                return None;
            }
            match &last.arguments {
                syn::PathArguments::Parenthesized(p) => {
                    Some(p.inputs.iter().map(TypeRef::from_syn).collect())
                }
                _ => None,
            }
        })
    }
    let mut out = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate() {
        let FnArg::Typed(pt) = input else {
            continue;
        };
        let mut ty = &*pt.ty;
        while let Type::Reference(r) = ty {
            ty = &r.elem;
        }
        let args = match ty {
            Type::ImplTrait(t) => given(super::traits_of(&t.bounds).into_iter()),
            Type::TraitObject(t) => given(super::traits_of(&t.bounds).into_iter()),
            Type::Path(tp) => match tp.path.get_ident() {
                Some(id) => given(super::trait_bounds(&sig.generics, id).into_iter()),
                None => None,
            },
            _ => None,
        };
        if let Some(args) = args.filter(|a| !a.is_empty()) {
            out.push((i, args));
        }
    }
    out
}

/// For each type argument of an impl's self type, the impl's type
/// parameter it is, or an empty name.
fn impl_params(i: &syn::ItemImpl) -> Vec<String> {
    let params: Vec<String> = i
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    let Type::Path(tp) = &*i.self_ty else {
        return Vec::new();
    };
    let Some(syn::PathArguments::AngleBracketed(a)) = tp.path.segments.last().map(|s| &s.arguments)
    else {
        return Vec::new();
    };
    a.args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(t) => Some(match t {
                Type::Path(p) => p
                    .path
                    .get_ident()
                    .map(|id| id.to_string())
                    .filter(|id| params.contains(id))
                    .unwrap_or_default(),
                _ => String::new(),
            }),
            _ => None,
        })
        .collect()
}

/// The methods a body calls on `self` (`self.query_iter(q)`), in order,
/// each once.
fn self_calls(body: &syn::Block) -> Vec<String> {
    struct Calls(Vec<String>);
    impl<'ast> Visit<'ast> for Calls {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if let syn::Expr::Path(p) = &*m.receiver {
                let name = m.method.to_string();
                if p.path.is_ident("self") && !self.0.contains(&name) {
                    self.0.push(name);
                }
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        // A closure or nested item's `self` may be another value.
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut c = Calls(Vec::new());
    c.visit_block(body);
    c.0
}

type Bounds = syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>;

/// Bounds that let a value go to another thread: `Send` and `'static`
/// (a closure bound so, or a trait declared with them as supertraits).
fn thread_bound(bounds: &Bounds) -> bool {
    let send = bounds.iter().any(|b| {
        matches!(b, syn::TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| s.ident == "Send"))
    });
    let stat = bounds
        .iter()
        .any(|b| matches!(b, syn::TypeParamBound::Lifetime(l) if l.ident == "static"));
    send && stat
}

/// The traits bounding the type parameters that are the types of the fn's
/// parameters (`fn watch<F: EventHandler>(handler: F)`), closure and marker
/// traits aside.
fn param_bound_traits(sig: &Signature) -> Vec<String> {
    let mut out = Vec::new();
    for input in &sig.inputs {
        let syn::FnArg::Typed(pt) = input else {
            continue;
        };
        let syn::Type::Path(tp) = &*pt.ty else {
            continue;
        };
        let Some(id) = tp.path.get_ident() else {
            continue;
        };
        out.extend(
            super::trait_bounds(&sig.generics, id)
                .into_iter()
                .filter(|t| !super::is_marker_bound(t))
                .filter_map(|t| {
                    let last = t.path.segments.last()?.ident.to_string();
                    (!matches!(last.as_str(), "Fn" | "FnOnce" | "FnMut")).then_some(last)
                }),
        );
    }
    out
}

/// Whether a parameter is a closure bounded `Send + 'static`: a type
/// parameter with those bounds (in the list or a `where` clause), `impl
/// FnOnce() + Send + 'static` or `Box<dyn FnOnce() + Send + 'static>`.
fn sends_closure(sig: &Signature) -> bool {
    type Bounds = syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>;
    let thread_bound = |bounds: &Bounds| {
        let mut closure = false;
        let mut send = false;
        let mut stat = false;
        for b in bounds {
            match b {
                syn::TypeParamBound::Trait(t) => {
                    let last = t.path.segments.last().map(|s| s.ident.to_string());
                    match last.as_deref() {
                        Some("Fn" | "FnOnce" | "FnMut") => closure = true,
                        Some("Send") => send = true,
                        _ => {}
                    }
                }
                syn::TypeParamBound::Lifetime(l) => stat |= l.ident == "static",
                _ => {}
            }
        }
        closure && send && stat
    };
    let mut params: Vec<String> = sig
        .generics
        .type_params()
        .filter(|p| thread_bound(&p.bounds))
        .map(|p| p.ident.to_string())
        .collect();
    if let Some(w) = &sig.generics.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(t) = pred {
                if let (syn::Type::Path(tp), true) = (&t.bounded_ty, thread_bound(&t.bounds)) {
                    if let Some(id) = tp.path.get_ident() {
                        params.push(id.to_string());
                    }
                }
            }
        }
    }
    fn is_sent(ty: &syn::Type, params: &[String], thread_bound: &dyn Fn(&Bounds) -> bool) -> bool {
        match ty {
            syn::Type::ImplTrait(t) => thread_bound(&t.bounds),
            syn::Type::TraitObject(t) => thread_bound(&t.bounds),
            syn::Type::Paren(p) => is_sent(&p.elem, params, thread_bound),
            syn::Type::Path(tp) => {
                if let Some(id) = tp.path.get_ident() {
                    return params.iter().any(|p| id == p);
                }
                match tp.path.segments.last() {
                    Some(last) if last.ident == "Box" => match &last.arguments {
                        syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|arg| {
                            matches!(arg, syn::GenericArgument::Type(t) if is_sent(t, params, thread_bound))
                        }),
                        _ => false,
                    },
                    _ => false,
                }
            }
            _ => false,
        }
    }
    sig.inputs.iter().any(|i| match i {
        syn::FnArg::Typed(pt) => is_sent(&pt.ty, &params, &thread_bound),
        syn::FnArg::Receiver(_) => false,
    })
}

/// Whether `attrs` holds `#[pollguard::blocking]` (or `#[blocking]`).
pub(crate) fn has_marker(attrs: &[Attribute]) -> bool {
    // Compared in place: every attribute of every fn passes here.
    attrs.iter().any(|a| {
        let segs = &a.path().segments;
        match segs.len() {
            1 => segs[0].ident == "blocking",
            2 => segs[0].ident == "pollguard" && segs[1].ident == "blocking",
            _ => false,
        }
    })
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

/// The callees (last segments) that receive one of the fn's own parameters:
/// as a plain argument (`spawn_blocking(f)`), or called inside a closure
/// argument (`block_in_place(move || f(conn))`), also when that closure is
/// bound to a name first (`let job = move || f(x); spawn_blocking(job)`).
/// Only a fn with a generic or `impl` parameter can take a closure, which
/// keeps the scan off every other body.
fn forwards(sig: &Signature, block: &syn::Block) -> Vec<String> {
    let takes_closure = !sig.generics.params.is_empty()
        || sig
            .inputs
            .iter()
            .any(|i| matches!(i, FnArg::Typed(t) if matches!(&*t.ty, Type::ImplTrait(_))));
    if !takes_closure {
        return Vec::new();
    }
    let params: HashSet<String> = sig
        .inputs
        .iter()
        .filter_map(|i| match i {
            FnArg::Typed(t) => match &*t.pat {
                syn::Pat::Ident(p) => Some(p.ident.to_string()),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        })
        .collect();
    if params.is_empty() {
        return Vec::new();
    }
    struct Finder {
        /// The parameters, and the names of closures that call one.
        params: HashSet<String>,
        callees: Vec<String>,
    }
    impl Finder {
        /// Whether `e` is a parameter, or a closure (possibly the value of a
        /// block) whose body calls one: either way the callee gets to run it.
        fn carries(&self, e: &syn::Expr) -> bool {
            match e {
                syn::Expr::Path(p) => p
                    .path
                    .get_ident()
                    .is_some_and(|i| self.params.contains(&i.to_string())),
                syn::Expr::Closure(c) => calls_any(&c.body, &self.params),
                syn::Expr::Block(b) => matches!(
                    b.block.stmts.last(),
                    Some(syn::Stmt::Expr(tail, None)) if self.carries(tail)
                ),
                _ => false,
            }
        }
        fn args<'e>(&mut self, callee: &syn::Ident, mut args: impl Iterator<Item = &'e syn::Expr>) {
            if args.any(|a| self.carries(a)) {
                self.callees.push(callee.to_string());
            }
        }
    }
    impl<'ast> Visit<'ast> for Finder {
        fn visit_local(&mut self, l: &'ast syn::Local) {
            if let (syn::Pat::Ident(p), Some(init)) = (&l.pat, &l.init) {
                if matches!(&*init.expr, syn::Expr::Closure(_)) && self.carries(&init.expr) {
                    self.params.insert(p.ident.to_string());
                }
            }
            syn::visit::visit_local(self, l);
        }
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func {
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
        // Items nested in the body have parameters of their own.
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut f = Finder {
        params,
        callees: Vec::new(),
    };
    f.visit_block(block);
    f.callees.sort();
    f.callees.dedup();
    f.callees
}

/// Whether `e` calls one of `names` as a fn: `f(conn)`, `(f)(conn)`.
fn calls_any(e: &syn::Expr, names: &HashSet<String>) -> bool {
    struct Calls<'a> {
        names: &'a HashSet<String>,
        found: bool,
    }
    impl<'ast> Visit<'ast> for Calls<'_> {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            let mut func = &*c.func;
            while let syn::Expr::Paren(p) = func {
                func = &p.expr;
            }
            if let syn::Expr::Path(p) = func {
                if p.path
                    .get_ident()
                    .is_some_and(|i| self.names.contains(&i.to_string()))
                {
                    self.found = true;
                }
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_item(&mut self, _: &'ast Item) {}
    }
    let mut v = Calls {
        names,
        found: false,
    };
    v.visit_expr(e);
    v.found
}

/// The types of a struct's or variant's fields, by name, or by position
/// (`"0"`, `"1"`, ..) for tuple fields.
fn field_types(fields: &syn::Fields) -> Vec<(String, TypeRef)> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = f
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), ToString::to_string);
            (name, TypeRef::from_syn(&f.ty))
        })
        .collect()
}

/// A const's type as the walker needs it: a string holding an address
/// written out is one, whatever its declared type.
pub(crate) fn const_type(c: &syn::ItemConst) -> TypeRef {
    match &*c.expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) if crate::io::is_address_literal(&s.value()) => TypeRef::AddressLiteral,
        _ => TypeRef::from_syn(&c.ty),
    }
}

/// `impl Default for Mode { fn default() -> Self { Mode::Fast } }`: the
/// type's name and the variant, when the body is that one path.
fn default_variant(i: &syn::ItemImpl) -> Option<(String, String)> {
    let (_, trait_path, _) = i.trait_.as_ref()?;
    if trait_path.segments.last()?.ident != "Default" {
        return None;
    }
    let syn::Type::Path(ty) = &*i.self_ty else {
        return None;
    };
    let name = ty.path.get_ident()?.to_string();
    let body = i.items.iter().find_map(|it| match it {
        ImplItem::Fn(f) if f.sig.ident == "default" => Some(&f.block),
        _ => None,
    })?;
    let [syn::Stmt::Expr(syn::Expr::Path(p), None)] = body.stmts.as_slice() else {
        return None;
    };
    let segs: Vec<&syn::Ident> = p.path.segments.iter().map(|s| &s.ident).collect();
    match segs.as_slice() {
        [owner, variant] if *owner == "Self" || **owner == name => {
            Some((name, variant.to_string()))
        }
        _ => None,
    }
}
