//! Local variables and their types: what the walker knows of a value
//! without the compiler (a parameter's type, `let x: T`, a constructor, a
//! fn's return type in the crate model).

use super::*;

impl<'a> Walker<'a> {
    // ----- local variables and types -----

    pub(super) fn is_var(&self, name: &str) -> bool {
        self.env.iter().rev().any(|f| f.contains_key(name))
    }

    pub(super) fn var_type(&self, name: &str) -> Option<Ty> {
        self.env
            .iter()
            .rev()
            .find_map(|f| f.get(name))
            .cloned()
            .flatten()
    }

    /// The type of a const or static the path names (`ADDR`,
    /// `crate::config::CLIENT`): consts and statics are written in upper
    /// case, so other paths are not looked up.
    fn item_value(&self, path: &syn::Path) -> Option<Ty> {
        let last = path.segments.last()?.ident.to_string();
        if !last.starts_with(|c: char| c.is_ascii_uppercase())
            || last.contains(|c: char| c.is_ascii_lowercase())
        {
            return None;
        }
        match self.resolve_written(path, &path_segs(path)) {
            Resolved::Path(p) => self.model.value_type(&p),
            _ => None,
        }
    }

    pub(super) fn bind(&mut self, name: &str, ty: Option<Ty>) {
        if let Some(frame) = self.env.last_mut() {
            frame.insert(name.to_owned(), ty);
        }
    }

    pub(super) fn bind_pat(&mut self, pat: &Pat, ty: Option<Ty>) {
        match pat {
            Pat::Ident(i) => {
                self.bind(&i.ident.to_string(), ty);
                if let Some((_, sub)) = &i.subpat {
                    self.bind_pat(sub, None);
                }
            }
            Pat::Type(t) => {
                // `let j: Box<dyn Journal> = Box::new(MemoryJournal::new())`:
                // the value's own type says more than the trait.
                let ty = match ty {
                    Some(v) if is_trait_object(&t.ty) => Some(v),
                    v => self.resolve_type(&t.ty).or(v),
                };
                self.bind_pat(&t.pat, ty);
            }
            Pat::Reference(r) => self.bind_pat(&r.pat, ty),
            Pat::Paren(p) => self.bind_pat(&p.pat, ty),
            // `(id, kernel)` of a map's pair.
            Pat::Tuple(t) => match ty.as_ref().and_then(Ty::halves) {
                Some(halves) if t.elems.len() == 2 => {
                    for (p, half) in t.elems.iter().zip(halves) {
                        self.bind_pat(p, half);
                    }
                }
                _ => t.elems.iter().for_each(|p| self.bind_pat(p, None)),
            },
            // `DataStream::Tcp(stream)`, `Wrapper(inner)`: the fields of a
            // variant or tuple struct the model knows.
            Pat::TupleStruct(t) if self.pattern_type(&t.path).is_some() => {
                let owner = self.pattern_type(&t.path).unwrap_or_default();
                for (i, p) in t.elems.iter().enumerate() {
                    let ty = self.model.field_type(&owner, &i.to_string());
                    self.bind_pat(p, ty);
                }
            }
            // `State(state): State<AppState>`: the type peels to the inner
            // value, which a one-field pattern binds.
            Pat::TupleStruct(t) if t.elems.len() == 1 => self.bind_pat(&t.elems[0], ty),
            Pat::TupleStruct(t) => t.elems.iter().for_each(|p| self.bind_pat(p, None)),
            Pat::Slice(s) => s.elems.iter().for_each(|p| self.bind_pat(p, None)),
            Pat::Struct(s) => {
                let owner = self.pattern_type(&s.path);
                for f in &s.fields {
                    let ty = match (&owner, &f.member) {
                        (Some(o), syn::Member::Named(n)) => {
                            self.model.field_type(o, &n.to_string())
                        }
                        (Some(o), syn::Member::Unnamed(i)) => {
                            self.model.field_type(o, &i.index.to_string())
                        }
                        (None, _) => None,
                    };
                    self.bind_pat(&f.pat, ty);
                }
            }
            Pat::Or(o) => o.cases.iter().for_each(|p| self.bind_pat(p, None)),
            _ => {}
        }
    }

    /// The struct or variant a pattern's path names, when the model knows
    /// its fields' types.
    fn pattern_type(&self, path: &syn::Path) -> Option<String> {
        match self.resolve_written(path, &path_segs(path)) {
            Resolved::Path(p) if self.model.has_fields(&p) => Some(p),
            _ => None,
        }
    }

    /// Binds a pattern matched against `init`, with the types the code
    /// names: `let (tx, rx) = channel()`, `if let Ok((sock, _)) = l.accept()`,
    /// `match File::open(p) { Ok(f) => .. }`.
    pub(super) fn bind_local(&mut self, pat: &Pat, init: Option<&Expr>) {
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
                        self.bind_pat(p, ty);
                    }
                }
                _ => {
                    let ty = self.infer(init);
                    self.bind_pat(pat, ty);
                }
            },
            _ => {
                let ty = self.infer(init);
                self.bind_pat(pat, ty);
            }
        }
    }

    /// The element types of a call that returns a tuple: one the catalog
    /// knows (a channel constructor, `listener.accept()?`; the sender of a
    /// channel made by an `unbounded` constructor never waits), or a fn of
    /// the code's own or a dependency's, by its signature.
    pub(super) fn tuple_types(&self, init: &Expr) -> Option<Vec<Option<Ty>>> {
        let key = match init {
            Expr::Call(c) => self.call_path(c)?,
            Expr::MethodCall(m) if SAME_TYPE.contains(&m.method.to_string().as_str()) => {
                return self.tuple_types(&m.receiver);
            }
            Expr::MethodCall(m) => {
                format!("{}::{}", self.infer(&m.receiver)?.path, m.method)
            }
            Expr::Try(t) => return self.tuple_types(&t.expr),
            Expr::Await(_) => return None,
            _ => return None,
        };
        let Some((_, types)) = TUPLE_RETURNS.iter().find(|(p, _)| *p == key) else {
            // A fn of the code's own or of a dependency, by its signature
            // (`fn protected(&self) -> (&Mutex<Protected>, &Condvar)`).
            let path = match init {
                Expr::MethodCall(_) => {
                    let (ty, name) = key.rsplit_once("::")?;
                    self.model.method_of(ty, name)
                }
                _ => key,
            };
            return self.model.fn_tuple(&path);
        };
        let unbounded = last_segment(&key) == "unbounded";
        Some(
            types
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Some(Ty {
                        unbounded: unbounded && i == 0,
                        ..Ty::new(*t)
                    })
                })
                .collect(),
        )
    }

    pub(super) fn call_path(&self, c: &syn::ExprCall) -> Option<String> {
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
    pub(super) fn item_type(&self, e: &Expr) -> Option<Ty> {
        let inferred = self.infer(e);
        // `for part in target.split(',')`: each part is the caller's text.
        if let Some(t) = inferred
            .clone()
            .filter(|t| t.path == STR_PIECES && t.addr != Addr::Name)
        {
            return Some(Ty {
                path: "str".to_owned(),
                ..t
            });
        }
        // `for k in &kernels`, `for (id, k) in map.iter_mut()`.
        if let Some(item) = inferred.as_ref().and_then(item_of) {
            return Some(item);
        }
        let key = match e {
            Expr::MethodCall(m) => format!("{}::{}", self.infer(&m.receiver)?.path, m.method),
            Expr::Call(c) => self.call_path(c)?,
            Expr::Try(t) => return self.item_type(&t.expr),
            _ => return None,
        };
        ITEM_TYPES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| Ty::new(*t))
    }

    /// The resolved path of a type, looking through references and smart pointers.
    pub(super) fn resolve_type(&self, ty: &Type) -> Option<Ty> {
        self.resolve_lowered(&TypeRef::from_syn(ty))
    }

    /// A parameter's type; one of the fn's type parameters (`statement: S`,
    /// `S: AsStatementRef`) stands for its first trait bound, as `impl
    /// AsStatementRef` would: a method called on it is the trait's.
    pub(super) fn param_type(&self, ty: &Type, generics: &syn::Generics) -> Option<Ty> {
        if let Some(t) = self.resolve_type(ty) {
            return Some(t);
        }
        let mut inner = ty;
        while let Type::Reference(r) = inner {
            inner = &r.elem;
        }
        let Type::Path(tp) = inner else { return None };
        let name = tp.path.get_ident()?;
        let bound = param_bound(generics, name)?;
        self.resolve_lowered(&bound)
    }

    fn resolve_lowered(&self, t: &TypeRef) -> Option<Ty> {
        resolve_type_ref(
            t,
            &|segs, leading_colon| match self.reexported(self.res.resolve(
                segs,
                leading_colon,
                self.self_ty.as_deref(),
            )) {
                Resolved::Path(p) => Some(p),
                Resolved::Glob(c) if c.len() == 1 => c.into_iter().next(),
                _ => None,
            },
            &|p| self.model.alias(p),
        )
    }

    /// The type of a block's tail, found while the block was walked.
    fn block_type(&self, block: &syn::Block) -> Option<Ty> {
        self.block_types
            .get(&(std::ptr::from_ref(block) as usize))
            .cloned()
    }

    /// The type of an expression, when the code names it.
    pub(super) fn infer(&self, e: &Expr) -> Option<Ty> {
        match e {
            Expr::Path(p) if p.path.segments.len() == 1 && p.qself.is_none() => {
                let name = p.path.segments[0].ident.to_string();
                if self.is_var(&name) {
                    self.var_type(&name)
                } else {
                    self.item_value(&p.path)
                }
            }
            Expr::Path(p) if p.qself.is_none() => self.item_value(&p.path),
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) if crate::io::is_address_literal(&s.value()) => Some(Ty::address_literal()),
            // `let bind = (settings.ip, settings.port);`: a host that needs
            // no resolver stays one through the variable.
            Expr::Tuple(t) if t.elems.len() == 2 && self.is_resolved_addr(e, None) => Some(Ty {
                addr: Addr::Resolved,
                ..Ty::new("(std::net::IpAddr, u16)")
            }),
            Expr::Call(c) => {
                // `Box::new(x)`: the prelude's `Box` is no item the
                // resolver knows, and the box holds what `x` is.
                if let Expr::Path(p) = &*c.func {
                    let s = &p.path.segments;
                    if p.qself.is_none()
                        && s.len() == 2
                        && s[0].ident == "Box"
                        && s[1].ident == "new"
                    {
                        return c.args.first().and_then(|a| self.infer(a));
                    }
                }
                let path = self.call_path(c)?;
                if let Some((_, ty)) = RETURN_TYPES.iter().find(|(p, _)| *p == path) {
                    return Some(Ty::new(*ty));
                }
                if let Some(ty) = self.model.fn_return(&path).filter(Ty::is_known) {
                    // A value built over a file or socket reads from it.
                    return Some(match self.io_of_call(c.args.iter()) {
                        Some(k) => ty.with_io(k),
                        None => ty,
                    });
                }
                let (parent, last) = path.rsplit_once("::")?;
                let parent_last = crate::last_segment(parent);
                // A tuple struct made by its name (`Conn(Box::new(inner))`)
                // is of that type; a tuple variant (`Msg::Text(s)`), of its enum.
                let upper = |s: &str| s.starts_with(|ch: char| ch.is_ascii_uppercase());
                if upper(last) && self.model.has_fields(&path) {
                    return Some(Ty::new(if upper(parent_last) { parent } else { &path }));
                }
                if WRAPPERS.contains(&parent_last) && last == "new"
                    || last == "clone" && WRAPPERS.contains(&parent_last)
                {
                    return c.args.first().and_then(|a| self.infer(a));
                }
                if CONSTRUCTORS.contains(&last)
                    && parent_last.starts_with(|ch: char| ch.is_ascii_uppercase())
                {
                    return Some(match self.io_of_call(c.args.iter()) {
                        Some(k) => Ty::new(parent).with_io(k),
                        None => Ty::new(parent),
                    });
                }
                None
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                let recv = self.infer(&m.receiver);
                if let Some(piece) = recv.as_ref().and_then(|r| str_piece(r, &name)) {
                    return Some(piece);
                }
                if let Some(inner) = recv.as_ref().and_then(|t| t.inner.as_deref()) {
                    if GUARD_METHODS.contains(&name.as_str()) {
                        return Some(inner.clone());
                    }
                }
                if SAME_TYPE.contains(&name.as_str()) {
                    return recv;
                }
                let recv = recv?;
                if let Some(t) = element_flow(&recv, &name) {
                    return Some(t);
                }
                let key = format!("{}::{name}", recv.path);
                if let Some((_, ty)) = RETURN_TYPES.iter().find(|(p, _)| *p == key) {
                    return Some(Ty::new(*ty));
                }
                let (method, owner) = self.model.method_of_ty(&recv, &name);
                // A trait's provided method the type has through `impl
                // Trait for T` (odbc-api's `cursor.next_row()`) returns what
                // the trait declares.
                let ret = self.model.fn_return(&method).or_else(|| {
                    let (provided, _) = self.model.provided_target(&owner.path, &name)?;
                    self.model.fn_return(&provided)
                });
                if let Some(ty) = ret {
                    // `pool.get()` of an `r2d2::Pool<M>` hands out a
                    // `PooledConnection<M>` of the receiver's own `M`.
                    let ty = ty.substituted(&owner.args);
                    if !ty.is_known() {
                        return None;
                    }
                    // What a reader over a file hands out (its records, an
                    // iterator) reads from the same file.
                    return Some(
                        match recv.io_kind().or_else(|| self.io_of_call(m.args.iter())) {
                            Some(k) => ty.with_io(k),
                            None => ty,
                        },
                    );
                }
                // `(&mut reader).take(n)`, `buf.get_mut()`: adapters that
                // read and write through the same value.
                if ["take", "by_ref", "get_mut", "get_ref"].contains(&name.as_str())
                    && !recv.path.starts_with("std::")
                {
                    return Some(recv);
                }
                let builder = BUILDERS.iter().find(|(t, _)| *t == recv.path);
                if builder.is_some_and(|(_, ends)| !ends.contains(&name.as_str())) {
                    return Some(recv);
                }
                None
            }
            Expr::Try(t) => self.infer(&t.expr),
            // An async fn's declared type is its output; an async lock's
            // `lock()` is what it guards (`map.lock().await.remove(&id)`).
            Expr::Await(a) => self.infer(&a.base),
            // `target[..end]` of an address the caller gave.
            Expr::Index(i) => self.infer(&i.expr).filter(is_addr_text),
            Expr::Struct(s) if s.qself.is_none() => {
                match self.resolve_written(&s.path, &path_segs(&s.path)) {
                    Resolved::Path(p) => Some(Ty::new(p)),
                    _ => None,
                }
            }
            Expr::Paren(p) => self.infer(&p.expr),
            Expr::Group(g) => self.infer(&g.expr),
            Expr::Block(b) => self.block_type(&b.block),
            Expr::Unsafe(u) => self.block_type(&u.block),
            // `let endpoint = format!("{}:{}", cfg.ip, cfg.port)`: text
            // that holds an address written out stays one.
            Expr::Macro(m) if self.is_resolved_format(&m.mac) => Some(Ty::address_literal()),
            Expr::Reference(r) => self.infer(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.infer(&u.expr),
            Expr::Field(f) => {
                let base = self.infer(&f.base)?;
                let field = match &f.member {
                    syn::Member::Named(field) => field.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                };
                let std_field = || {
                    catalog::STD_FIELDS
                        .iter()
                        .find(|(owner, name, _)| *owner == base.path && *name == field)
                        .map(|(_, _, ty)| Ty::new(*ty))
                };
                let ty = self
                    .model
                    .field_type(&base.path, &field)
                    .or_else(std_field)?;
                // Inside `impl<W: Write> Writer<W>`, a field whose type
                // takes a parameter the impl does not name (`inner:
                // EncodingWriter<W>`) most likely holds the caller's writer.
                Some(match base.io {
                    Some(IoKind::Generic) if ty.args.iter().any(|a| !a.is_known()) => {
                        ty.with_io(IoKind::Generic)
                    }
                    _ => ty,
                })
            }
            _ => None,
        }
    }
}

/// Methods that reach what a lock guards.
pub(super) const GUARD_METHODS: &[&str] = &[
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
    "borrow",
    "borrow_mut",
];

/// Whether a bound names one of `traits` (by its last segment).
fn bounds_name(
    bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
    traits: &[&str],
) -> bool {
    bounds.iter().any(|b| match b {
        syn::TypeParamBound::Trait(t) => t
            .path
            .segments
            .last()
            .is_some_and(|s| traits.contains(&s.ident.to_string().as_str())),
        _ => false,
    })
}

/// The first trait bound of the type parameter `name` of `generics`, in
/// its list or a `where` clause, as `impl Trait` would be lowered.
fn param_bound(generics: &syn::Generics, name: &syn::Ident) -> Option<TypeRef> {
    let first = crate::model::trait_bounds(generics, name)
        .into_iter()
        .find(|t| !crate::model::is_marker_bound(t))?;
    let ty = Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: std::iter::once(syn::TypeParamBound::Trait(first.clone())).collect(),
    });
    Some(TypeRef::from_syn(&ty))
}

/// The type parameters of `generics` bounded by one of `traits` (the I/O
/// traits, `ToSocketAddrs`), in the parameter list or a `where` clause.
pub(super) fn bounded_by(generics: &syn::Generics, traits: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = generics
        .type_params()
        .filter(|p| bounds_name(&p.bounds, traits))
        .map(|p| p.ident.to_string())
        .collect();
    if let Some(w) = &generics.where_clause {
        for pred in &w.predicates {
            if let syn::WherePredicate::Type(t) = pred {
                if let (Type::Path(tp), true) = (&t.bounded_ty, bounds_name(&t.bounds, traits)) {
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
pub(super) fn self_io(self_ty: &Type, io_generics: &[String]) -> bool {
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
        .any(|arg| matches!(arg, syn::GenericArgument::Type(t) if is_generic_over(t, io_generics, IO_TRAITS)))
}

/// Whether a type is one of the type parameters `generics` (bounded by
/// one of `traits`), `impl Trait` or `dyn Trait` of one of `traits`, or a
/// reference or box of one: `R`, `impl Read`, `&mut dyn Write`, `Box<A>`.
/// `&str`, `String`, `&String`: text a fn is given.
pub(super) fn is_text(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_text(&r.elem),
        Type::Paren(p) => is_text(&p.elem),
        Type::Path(tp) if tp.qself.is_none() => tp
            .path
            .get_ident()
            .is_some_and(|id| id == "str" || id == "String"),
        _ => false,
    }
}

pub(super) fn is_generic_over(ty: &Type, generics: &[String], traits: &[&str]) -> bool {
    match ty {
        Type::Reference(r) => is_generic_over(&r.elem, generics, traits),
        Type::Paren(p) => is_generic_over(&p.elem, generics, traits),
        Type::ImplTrait(t) => bounds_name(&t.bounds, traits),
        Type::TraitObject(t) => bounds_name(&t.bounds, traits),
        Type::Path(tp) if tp.qself.is_none() => {
            if let Some(id) = tp.path.get_ident() {
                return generics.iter().any(|g| id == g);
            }
            let Some(last) = tp.path.segments.last() else {
                return false;
            };
            match &last.arguments {
                syn::PathArguments::AngleBracketed(a) if last.ident == "Box" => {
                    a.args.iter().any(|arg| {
                        matches!(arg, syn::GenericArgument::Type(t) if is_generic_over(t, generics, traits))
                    })
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether a type is a trait object or `impl Trait`, behind references and
/// smart pointers (`&dyn T`, `Box<dyn T>`, `Arc<dyn T>`).
fn is_trait_object(ty: &Type) -> bool {
    match ty {
        Type::TraitObject(_) | Type::ImplTrait(_) => true,
        Type::Reference(r) => is_trait_object(&r.elem),
        Type::Paren(p) => is_trait_object(&p.elem),
        Type::Path(tp) => tp.path.segments.last().is_some_and(|s| match &s.arguments {
            syn::PathArguments::AngleBracketed(a)
                if WRAPPERS.contains(&s.ident.to_string().as_str()) =>
            {
                a.args
                    .iter()
                    .any(|arg| matches!(arg, syn::GenericArgument::Type(t) if is_trait_object(t)))
            }
            _ => false,
        }),
        _ => false,
    }
}

/// `Ok(x)` and `Some(x)`: the walker does not track `Result` and `Option`,
/// so `x` has the type the matched expression is said to have.
pub(super) fn is_wrapping_variant(path: &syn::Path) -> bool {
    path.get_ident().is_some_and(|i| i == "Ok" || i == "Some")
}

/// The pseudo type of an iterator over pieces of a string (`split`, `lines`).
const STR_PIECES: &str = "str::pieces";

/// Text whose address-ness is known: a parameter's (its callers decide) or
/// an address written out.
fn is_addr_text(t: &Ty) -> bool {
    t.path == "str" && t.addr != Addr::Name
}

/// What a method of such text gives back that is still the same text, or
/// a piece of it: `trim`, `to_string`, `split(',')` (an iterator of
/// pieces), `next()` of that iterator. A connect string (`"10.0.0.5:2181,
/// 10.0.0.6:2181"`) is split and trimmed before `to_socket_addrs`, and
/// whether that asks a resolver is still the caller's to say.
fn str_piece(recv: &Ty, method: &str) -> Option<Ty> {
    const SAME: &[&str] = &[
        "trim",
        "trim_start",
        "trim_end",
        "trim_matches",
        "to_string",
        "to_owned",
        "as_str",
        "into",
        "unwrap_or_default",
        "unwrap_or",
    ];
    const SPLITS: &[&str] = &[
        "split",
        "rsplit",
        "splitn",
        "rsplitn",
        "split_terminator",
        "split_whitespace",
        "split_ascii_whitespace",
        "lines",
    ];
    const ITEMS: &[&str] = &["next", "next_back", "nth", "last"];
    let piece = |path: &str| Ty {
        path: path.to_owned(),
        addr: recv.addr,
        ..Ty::new("")
    };
    if is_addr_text(recv) {
        if SAME.contains(&method) {
            return Some(recv.clone());
        }
        if SPLITS.contains(&method) {
            return Some(piece(STR_PIECES));
        }
    }
    if recv.path == STR_PIECES && recv.addr != Addr::Name && ITEMS.contains(&method) {
        return Some(piece("str"));
    }
    None
}

/// What `method` hands out when called on a collection the walker follows
/// (see [`catalog::COLLECTIONS`]) or on an iterator made from one: an
/// element, a pair, another iterator of them.
fn element_flow(recv: &Ty, method: &str) -> Option<Ty> {
    if recv.is_iterator() {
        let item = recv.args.first()?;
        return if catalog::ITER_SAME.contains(&method) {
            Some(recv.clone())
        } else if method == "enumerate" {
            Some(Ty::iterator(Ty::pair(Ty::default(), item.clone())))
        } else if catalog::ITER_ITEM.contains(&method) {
            Some(item.clone())
        } else {
            None
        };
    }
    let &(_, at) = catalog::COLLECTIONS.iter().find(|(p, _)| *p == recv.path)?;
    let element = recv.args.get(at).filter(|t| t.is_known())?.clone();
    let key = || recv.args.first().cloned().unwrap_or_default();
    match method {
        "entry" | "and_modify" => Some(recv.clone()),
        m if catalog::ELEMENT_METHODS.contains(&m) => Some(element),
        "values" | "values_mut" | "into_values" => Some(Ty::iterator(element)),
        m if catalog::ELEMENT_ITERATORS.contains(&m) => Some(Ty::iterator(if at == 1 {
            Ty::pair(key(), element)
        } else {
            element
        })),
        _ => None,
    }
}

/// What a loop over a value of type `t`, or a closure given each of its
/// items, receives: an iterator's item, a collection's element (a map's
/// `(key, value)` pair).
pub(super) fn item_of(t: &Ty) -> Option<Ty> {
    if t.is_iterator() {
        return t.args.first().filter(|i| i.is_known()).cloned();
    }
    element_flow(t, "iter").and_then(|i| i.args.into_iter().next())
}
