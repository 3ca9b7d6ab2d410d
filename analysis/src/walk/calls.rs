//! Calls and method calls: what the catalog, the model and the user's
//! settings say of each, and where a finding or a summary entry goes.

use super::*;

impl<'a> Walker<'a> {
    // ----- calls -----

    pub(super) fn call(&mut self, c: &syn::ExprCall, usage: Usage) {
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
        let resolved = self.resolve_written(&p.path, &segs);
        let start = match (&p.path.leading_colon, p.path.segments.first()) {
            (Some(colons), _) => colons.spans[0],
            (None, Some(first)) => first.ident.span(),
            (None, None) => c.span(),
        };
        let end = c.paren_token.span.close();
        if let Resolved::Path(path) = &resolved {
            self.note_construction(path);
        }
        let no_disk = match (&resolved, c.args.first()) {
            (Resolved::Path(path), Some(arg)) => {
                literal_str(arg).is_some_and(|file| catalog::no_disk(path, &file))
            }
            _ => false,
        };
        if let (Usage::Awaited, Resolved::Path(path)) = (usage, &resolved) {
            self.note_await(path);
        }
        if usage != Usage::Awaited && !no_disk && !asks_nonblocking(c.args.iter()) {
            (self.call_io, self.call_addr) = self.args_given(c.args.iter());
            self.call_args = self.arg_facts(c.args.iter());
            self.call_by_path = true;
            let env = u32::from(self.passes_env(&c.args));
            self.conditional += env;
            self.check_path_call(&resolved, &segs, start, end, usage);
            self.conditional -= env;
            (self.call_io, self.call_addr) = (None, Addr::Name);
            self.call_args = ArgFacts::default();
            self.call_by_path = false;
        }
        if self.is_offloader(&resolved) {
            self.args_offloaded(&c.args);
        } else if matches!(&resolved, Resolved::Path(p) if catalog::is_foreign_spawner(p)) {
            self.args_foreign(c.args.iter());
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
            let given = self.closures_of_call(&resolved, c);
            for (i, arg) in c.args.iter().enumerate() {
                if matches!(arg, Expr::Closure(_)) {
                    self.closure_given = given[i].clone();
                }
                match (arg, &owner) {
                    (Expr::Closure(cl), Some(owner)) if cl.asyncness.is_none() => {
                        let saved = self.closure_owner.replace(owner.clone());
                        self.closure(cl);
                        self.closure_owner = saved;
                    }
                    _ => self.expr(arg, Usage::Passed),
                }
                self.closure_given = None;
            }
        } else if segs.last().is_some_and(|l| l == "block_on") {
            self.block_on_args(c.args.iter());
        } else {
            let given = self.closures_of_call(&resolved, c);
            for (i, arg) in c.args.iter().enumerate() {
                if matches!(arg, Expr::Closure(_)) {
                    self.closure_given = given[i].clone();
                }
                self.expr(arg, Usage::Passed);
                self.closure_given = None;
            }
        }
    }

    /// A call of a constructor that returns a tuple of channel ends (the
    /// catalog's, or a dependency's read from its signature): what it makes,
    /// and whether its sender is an unbounded channel's. Senders come first
    /// in every channel crate's constructors.
    fn note_construction(&mut self, path: &str) {
        let types: Vec<Option<Ty>> = match TUPLE_RETURNS.iter().find(|(p, _)| *p == path) {
            Some((_, types)) => types.iter().map(|t| Some(Ty::new(*t))).collect(),
            None if self.model.is_extern(path) => match self.model.fn_tuple(path) {
                Some(types) => types,
                None => return,
            },
            None => return,
        };
        let unbounded = last_segment(path).contains("unbounded");
        for (i, t) in types.into_iter().enumerate() {
            if let Some(t) = t {
                self.out.constructed.push(Construction {
                    ty: t.path,
                    unbounded: unbounded && i == 0,
                });
            }
        }
    }

    /// What a path written in the code names, from where it is written
    /// (`segs` are its segments, [`path_segs`]).
    pub(super) fn resolve_written(&self, path: &syn::Path, segs: &[String]) -> Resolved {
        self.reexported(self.res.resolve(
            segs,
            path.leading_colon.is_some(),
            self.self_ty.as_deref(),
        ))
    }

    /// Follows a `pub use` of the code's own modules (`mod sleeper { pub use
    /// std::thread::sleep; }`), a few levels deep at most.
    pub(super) fn reexported(&self, resolved: Resolved) -> Resolved {
        match resolved {
            Resolved::Path(p) => Resolved::Path(self.model.resolve_path(&p)),
            other => other,
        }
    }

    pub(super) fn is_offloader(&self, resolved: &Resolved) -> bool {
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

    /// The catalog's rule for a resolved path, as far as the configuration
    /// uses the catalog.
    pub(super) fn catalog_rule(&self, path: &str) -> Option<&'static Rule> {
        match_path(path)
            .filter(|_| !self.opts.config.std_catalog_only || catalog::is_std_or_runtime(path))
    }

    pub(super) fn check_path_call(
        &mut self,
        resolved: &Resolved,
        written: &[String],
        start: Span,
        end: Span,
        usage: Usage,
    ) {
        match resolved {
            Resolved::Path(path) => {
                if let Some(rule) = self.catalog_rule(path) {
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
                    .filter_map(|c| self.catalog_rule(c).map(|r| (r, c)))
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
    pub(super) fn dependency_fact(
        &mut self,
        path: &str,
        display: &str,
        start: Span,
        end: Span,
    ) -> bool {
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
    pub(super) fn extra_blocking(&self, path: &str, suffix: bool) -> Option<Option<String>> {
        self.opts.config.extra_blocking.iter().find_map(|x| {
            let declared = x.path.trim_start_matches("::");
            let hit = declared == path
                || (suffix && path.contains("::") && declared.ends_with(&format!("::{path}")));
            hit.then(|| x.help.clone())
        })
    }

    /// An awaited call of `path`: in a future on another executor's loop,
    /// one of [`Analysis::foreign_calls`]; in an async fn's own body, one
    /// of [`Analysis::awaits`].
    fn note_await(&mut self, path: &str) {
        if self.foreign > 0 && self.ctx.off_executor() {
            self.out.foreign_calls.push(path.to_owned());
        } else if let (Ctx::Async, Some(f)) = (self.ctx, &self.async_fn) {
            self.out.awaits.push((path.to_owned(), f.clone()));
        }
    }

    pub(super) fn record_call(
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
            // An async fn is no summary its callers could decide for.
            addr: match (self.call_addr, self.ctx) {
                (Addr::Generic, Ctx::Async) => Addr::Name,
                (addr, _) => addr,
            },
            conditional: self.conditional > 0,
            not_in_tests: self.not_in_tests > 0,
            in_test: self.in_test > 0,
            opt_in: self.opt_in > 0,
            gates: self.gates,
            ungates: self.ungates,
            arms: self.arms.clone(),
            variant_args: self.call_args.variants.clone(),
            off_args: self.call_args.off,
            on_args: self.call_args.on,
            passes: self.call_args.passes.clone(),
            by_path: self.call_by_path,
            alt: self.call_alt,
            closure_of: match self.ctx {
                Ctx::Async => self.closure_owner.clone(),
                _ => None,
            },
            async_fn: self.async_fn.clone(),
        };
        match (self.ctx, self.current_fn) {
            (Ctx::Async, _) => self.out.async_calls.push(call),
            (Ctx::Sync, Some(i)) => self.out.fns[i].calls.push(call),
            _ if self.foreign > 0 => self.out.foreign_calls.push(call.path),
            _ => {}
        }
    }

    pub(super) fn method_call(&mut self, m: &syn::ExprMethodCall, usage: Usage) {
        let name = m.method.to_string();
        if name == "set_nonblocking" {
            self.mark_nonblocking(m);
        }
        if usage == Usage::Awaited && (self.foreign > 0 || self.async_fn.is_some()) {
            if let Some(t) = self.infer(&m.receiver) {
                let (path, _) = self.model.method_of_ty(&t, &name);
                if path.starts_with("crate::") {
                    self.note_await(&path);
                }
            }
        }
        if usage != Usage::Awaited {
            self.check_method(m, &name, usage);
            if super::ITER_CONSUMERS.contains(&name.as_str()) {
                let display = format!("{}.{name}()", short(&m.receiver));
                let (start, end) = (m.method.span(), m.paren_token.span.close());
                self.iteration(&m.receiver, Some(&name), &display, start, end);
            }
            self.rayon_consumer(m, &name);
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
        let foreign = catalog::FOREIGN_SPAWN_METHODS.contains(&name.as_str())
            && self
                .infer(&m.receiver)
                .is_some_and(|t| catalog::is_foreign_loop(&t.path));
        if offloads {
            self.args_offloaded(&m.args);
        } else if foreign {
            self.args_foreign(m.args.iter());
        } else if STORING_METHODS.contains(&name.as_str()) {
            for arg in &m.args {
                match arg {
                    Expr::Closure(cl) => self.stored_closure(cl),
                    other => self.expr(other, Usage::Passed),
                }
            }
        } else if name == "block_on" {
            self.block_on_args(m.args.iter());
        } else if ONE_TIME.contains(&name.as_str()) && matches!(self.ctx, Ctx::Sync) {
            // `STORE.get_or_init(|| self.build_client())` in a sync fn: the
            // first call anywhere in the process pays for it, and every
            // later one clones what the cell holds, so it does not make the
            // accessor block for its callers. (In async code it is still
            // reported where it is written.)
            let saved = std::mem::replace(&mut self.ctx, Ctx::Deferred);
            m.args.iter().for_each(|a| self.expr(a, Usage::Passed));
            self.fn_args_called(m, &name);
            self.ctx = saved;
        } else if ON_SOME_PATHS.contains(&name.as_str()) {
            self.conditionally(|w| {
                m.args.iter().for_each(|a| w.expr(a, Usage::Passed));
                w.fn_args_called(m, &name);
            });
        } else {
            // `files.par_iter().map(|f| ..)`: Rayon runs the closure on its
            // pool's threads; the executor waits at the chain's consumer,
            // which `rayon_consumer` reports.
            let parallel = par_source(&m.receiver).is_some();
            let given = self.given_to_closures(m, &name);
            for (i, a) in m.args.iter().enumerate() {
                match a {
                    Expr::Closure(cl) if parallel => self.offloaded_closure(cl),
                    Expr::Closure(_) => {
                        self.closure_given = given.get(i).cloned().flatten();
                        self.expr(a, Usage::Passed);
                        self.closure_given = None;
                    }
                    _ => self.expr(a, Usage::Passed),
                }
            }
            self.fn_args_called(m, &name);
        }
    }

    /// What each argument of a method call, when it is a closure, is
    /// given: an iterator's or a collection's items for the adapters that
    /// take them, else what the method declares its closure parameters are
    /// called with. Empty when no argument is a closure.
    fn given_to_closures(
        &self,
        m: &syn::ExprMethodCall,
        name: &str,
    ) -> Vec<Option<Vec<Option<Ty>>>> {
        if !m.args.iter().any(|a| matches!(a, Expr::Closure(_))) {
            return Vec::new();
        }
        let Some(recv) = self.infer(&m.receiver) else {
            return Vec::new();
        };
        if catalog::ITEM_CLOSURES.contains(&name) {
            if let Some(item) = infer::item_of(&recv) {
                return vec![Some(vec![Some(item)]); m.args.len()];
            }
        }
        let (method, owner) = self.model.method_of_ty(&recv, name);
        // The receiver is the method's first input.
        self.declared_closure_args(&method, &owner.args, 1, m.args.len())
    }

    /// What each closure argument of a call by path is given (see
    /// [`Walker::declared_closure_args`]).
    fn closures_of_call(
        &self,
        resolved: &Resolved,
        c: &syn::ExprCall,
    ) -> Vec<Option<Vec<Option<Ty>>>> {
        match resolved {
            Resolved::Path(path) if c.args.iter().any(|a| matches!(a, Expr::Closure(_))) => {
                self.declared_closure_args(path, &[], 0, c.args.len())
            }
            _ => vec![None; c.args.len()],
        }
    }

    /// What fn `path` declares its closure parameters are given, by
    /// argument: input `i` is argument `i - skip`; the impl's parameters
    /// in those types are the receiver's `args`.
    pub(super) fn declared_closure_args(
        &self,
        path: &str,
        args: &[Ty],
        skip: usize,
        n: usize,
    ) -> Vec<Option<Vec<Option<Ty>>>> {
        let mut out = vec![None; n];
        for (input, types) in self.model.closure_args(path).unwrap_or_default() {
            let Some(slot) = input.checked_sub(skip).and_then(|i| out.get_mut(i)) else {
                continue;
            };
            *slot = Some(
                types
                    .into_iter()
                    .map(|t| t.map(|t| t.substituted(args)).filter(Ty::is_known))
                    .collect(),
            );
        }
        out
    }

    /// `.and_then(load_path)`, `.map(std::fs::read_to_string)`: a fn named
    /// as the argument of a combinator is called by it, as a closure would be.
    fn fn_args_called(&mut self, m: &syn::ExprMethodCall, name: &str) {
        if !CALLS_ITS_ARGUMENT.contains(&name) {
            return;
        }
        for arg in &m.args {
            let Expr::Path(p) = arg else { continue };
            if p.qself.is_some()
                || p.path
                    .get_ident()
                    .is_some_and(|i| self.is_var(&i.to_string()))
            {
                continue;
            }
            let segs = path_segs(&p.path);
            let resolved = self.resolve_written(&p.path, &segs);
            let span = p.span();
            self.check_path_call(&resolved, &segs, span, span, Usage::Other);
        }
    }

    /// `conn.run(move |c| ..)` where `run` is a method of the code's own type
    /// that offloads its closure parameter: the receiver's type names it.
    pub(super) fn own_offloader_method(&self, m: &syn::ExprMethodCall, name: &str) -> bool {
        if !m
            .args
            .iter()
            .any(|a| matches!(a, Expr::Closure(_) | Expr::Block(_)))
        {
            return false;
        }
        self.infer(&m.receiver)
            .is_some_and(|ty| self.model.is_offloader(&format!("{}::{name}", ty.path)))
    }

    /// `sock.set_nonblocking(true)`: from here on the socket's reads and
    /// writes return `WouldBlock` instead of blocking, so its type no longer
    /// matches the rules.
    pub(super) fn mark_nonblocking(&mut self, m: &syn::ExprMethodCall) {
        let on = matches!(m.args.first(), Some(Expr::Lit(l)) if matches!(&l.lit, syn::Lit::Bool(b) if b.value));
        let Expr::Path(p) = &*m.receiver else { return };
        let Some(var) = p.path.get_ident().map(|i| i.to_string()) else {
            return;
        };
        if let (true, Some(ty)) = (on, self.var_type(&var)) {
            for frame in self.env.iter_mut().rev() {
                if let Some(slot) = frame.get_mut(&var) {
                    *slot = Some(Ty {
                        nonblocking: true,
                        ..ty
                    });
                    break;
                }
            }
        }
    }

    pub(super) fn check_method(&mut self, m: &syn::ExprMethodCall, name: &str, usage: Usage) {
        let start = m.method.span();
        let end = m.paren_token.span.close();
        if asks_nonblocking(m.args.iter()) {
            return;
        }
        if m.args.first().and_then(literal_str).is_some_and(|file| {
            file == catalog::IN_MEMORY_DB
                || name == "open" && catalog::no_disk("std::fs::OpenOptions::open", &file)
        }) {
            return;
        }
        let recv = self.infer(&m.receiver);
        // A method the type has only through its `Deref` target, when that
        // target depends on the type's arguments (a pooled connection):
        // the call is the target's, for the catalog as for the closure.
        let recv = match recv {
            Some(t) if !t.args.is_empty() => {
                let (_, owner) = self.model.method_of_ty(&t, name);
                Some(owner)
            }
            other => other,
        };
        // `ClientBuilder::new().danger_accept_invalid_certs(true).build()`:
        // a setting in the chain turns off what the build blocks on.
        if let Some(t) = recv
            .as_ref()
            .filter(|_| catalog::DISARMS.iter().any(|d| d.build == name))
        {
            let settings = std::iter::successors(Some(&*m.receiver), |e| match e {
                Expr::MethodCall(inner) => Some(&*inner.receiver),
                _ => None,
            })
            .filter_map(|e| match e {
                Expr::MethodCall(s) => Some((s.method.to_string(), bool_arg(s))),
                _ => None,
            })
            .collect::<Vec<_>>();
            if catalog::disarmed(
                &t.path,
                name,
                settings.iter().map(|(s, a)| (s.as_str(), *a)),
            ) {
                return;
            }
        }
        // `"127.0.0.1:8080".to_socket_addrs()`, `(ip, port)`: std parses
        // an address written out, without asking a resolver.
        if name == "to_socket_addrs" {
            if self.is_resolved_addr(&m.receiver, recv.as_ref()) {
                return;
            }
            // Through a parameter generic over `ToSocketAddrs`, in a sync
            // fn: its callers decide.
            if let (
                Some(Ty {
                    addr: Addr::Generic,
                    ..
                }),
                Ctx::Sync,
                Some(i),
            ) = (&recv, self.ctx, self.current_fn)
            {
                let f = &mut self.out.fns[i];
                if f.generic_addr.is_none() {
                    f.generic_addr = Some((format!("{}.{name}()", short(&m.receiver)), start));
                }
                return;
            }
        }
        let recv_io = recv.as_ref().and_then(Ty::io_kind);
        if self.generic_io_use(name, recv.as_ref(), recv_io, start, end, &m.receiver) {
            return;
        }
        let (args_io, args_addr) = self.args_given(m.args.iter());
        (self.call_io, self.call_addr) = (recv_io.or(args_io), args_addr);
        self.call_args = self.arg_facts(m.args.iter());
        let env = u32::from(self.passes_env(m.args.iter().chain([&*m.receiver])));
        self.conditional += env;
        // A value made non-blocking or unbounded matches no rule of its type.
        let plain = recv
            .as_ref()
            .filter(|t| t.is_plain())
            .map(|t| t.path.as_str());
        let recorded = self.check_typed_method(m, name, plain, start, end, usage);
        (self.call_io, self.call_addr) = (None, Addr::Name);
        self.call_args = ArgFacts::default();
        if !recorded {
            self.check_method_matchers(m, name, recv.as_ref(), start, end, usage);
        }
        self.conditional -= env;
    }

    /// Whether a `ToSocketAddrs` value needs no name resolution: an IP
    /// address and port written out (`"10.0.0.1:53"`, `("::1", 8080)`), or
    /// a value typed as an address.
    pub(super) fn is_resolved_addr(&self, e: &Expr, ty: Option<&Ty>) -> bool {
        if ty.is_some_and(|t| {
            t.addr == Addr::Resolved || catalog::ADDRESS_TYPES.contains(&t.path.as_str())
        }) {
            return true;
        }
        match e {
            Expr::Tuple(t) if t.elems.len() == 2 => match t.elems.first() {
                Some(host) => match literal_str(host) {
                    Some(s) => s.parse::<std::net::IpAddr>().is_ok(),
                    None => self.is_resolved_addr(host, self.infer(host).as_ref()),
                },
                None => false,
            },
            Expr::Paren(p) => self.is_resolved_addr(&p.expr, ty),
            Expr::Reference(r) if !matches!(&*r.expr, Expr::Lit(_)) => {
                self.is_resolved_addr(&r.expr, self.infer(&r.expr).as_ref())
            }
            Expr::Macro(m) => self.is_resolved_format(&m.mac),
            _ => literal_str(e).is_some_and(|s| s.parse::<std::net::SocketAddr>().is_ok()),
        }
    }

    /// `format!("{}:{}", config.ip, config.port)`, `format!("{ip}:{port}")`:
    /// an address written out from an IP address the code holds (an
    /// `IpAddr`, a literal), which std parses without a resolver.
    pub(super) fn is_resolved_format(&self, mac: &syn::Macro) -> bool {
        if mac.path.segments.last().is_none_or(|s| s.ident != "format") {
            return false;
        }
        let Ok(args) = syn::parse::Parser::parse2(
            syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated,
            mac.tokens.clone(),
        ) else {
            return false;
        };
        let Some(template) = args.first().and_then(literal_str) else {
            return false;
        };
        // The host is the first placeholder, right at the start (or in
        // brackets, for IPv6), and a `:` before the port follows it.
        let t = template.strip_prefix('[').unwrap_or(&template);
        let Some(inner) = t.strip_prefix('{').and_then(|r| r.split_once('}')) else {
            return false;
        };
        let (name, rest) = inner;
        if !rest.starts_with(':') && !rest.starts_with("]:") {
            return false;
        }
        let name = name.split(':').next().unwrap_or("");
        let host: Expr = if name.is_empty() {
            match args.iter().nth(1) {
                Some(e) => e.clone(),
                None => return false,
            }
        } else if let Ok(n) = name.parse::<usize>() {
            match args.iter().nth(n + 1) {
                Some(e) => e.clone(),
                None => return false,
            }
        } else {
            let named = args.iter().skip(1).find_map(|a| match a {
                Expr::Assign(asg) if matches!(&*asg.left, Expr::Path(p) if p.path.is_ident(name)) => {
                    Some((*asg.right).clone())
                }
                _ => None,
            });
            match named.or_else(|| syn::parse_str::<Expr>(name).ok()) {
                Some(e) => e,
                None => return false,
            }
        };
        self.is_resolved_addr(&host, self.infer(&host).as_ref())
    }

    /// I/O through a value whose type says what it reads from: a generic
    /// parameter's (recorded in the fn's summary, for its callers to decide)
    /// or a library type built over a file or socket (a `csv::Reader` over a `File`:
    /// its reads and the iteration of its records block). Returns whether
    /// the call was dealt with.
    pub(super) fn generic_io_use(
        &mut self,
        name: &str,
        recv: Option<&Ty>,
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
            // A library's type over a file (`csv::Reader<File>`) is matched
            // as the file. The crate's own types are not: their methods are
            // walked and decide with what they are handed.
            Some(kind)
                if recv.is_some_and(|t| t.io.is_some() && !t.path.starts_with("crate::")) =>
            {
                if let (Some(rule), Some(ty)) = (kind.rule(), recv) {
                    let call = format!("{}::{name}", ty.path);
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

    pub(super) fn note_generic_io(&mut self, display: &str, span: Span) {
        if let (Ctx::Sync, Some(i)) = (self.ctx, self.current_fn) {
            let f = &mut self.out.fns[i];
            if f.generic_io.is_none() {
                f.generic_io = Some((display.to_owned(), span));
            }
        }
    }

    /// What a call that makes a value is given to read from, if anything:
    /// the value reads from it too. For the crate's own types this is what
    /// their methods' summaries are handed (`PropertiesIter::new(input)`
    /// in a fn generic over `R: Read`, then `p.read_into(..)`): without
    /// it, a reader the crate wraps in its own type stops being the
    /// caller's.
    pub(super) fn io_of_call<'e>(&self, args: impl Iterator<Item = &'e Expr>) -> Option<IoKind> {
        self.args_io(args)
    }

    /// What the first I/O value among `args` reads from.
    pub(super) fn args_io<'e>(&self, args: impl Iterator<Item = &'e Expr>) -> Option<IoKind> {
        self.args_given(args).0
    }

    /// What the first I/O value among `args` reads from, and what the
    /// addresses among them hold: the fn's own generic address handed on,
    /// else an address written out, else (nothing known) a name.
    pub(super) fn args_given<'e>(
        &self,
        args: impl Iterator<Item = &'e Expr>,
    ) -> (Option<IoKind>, Addr) {
        let (mut io, mut addr) = (None, Addr::Name);
        for a in args {
            let ty = self.infer(a);
            match ty.as_ref().and_then(Ty::io_kind) {
                // A concrete kind decides over a generic one.
                Some(IoKind::Generic) => io = io.or(Some(IoKind::Generic)),
                Some(k) if !matches!(io, Some(k) if k != IoKind::Generic) => io = Some(k),
                _ => {}
            }
            match ty.as_ref().map(|t| t.addr) {
                Some(Addr::Generic) => addr = Addr::Generic,
                _ if addr == Addr::Name && self.is_resolved_addr(a, ty.as_ref()) => {
                    addr = Addr::Resolved;
                }
                _ => {}
            }
        }
        (io, addr)
    }

    /// Calls of methods the code marked, or declared blocking, or of the
    /// crate's or a dependency's own types; returns whether it reported one.
    pub(super) fn check_typed_method(
        &mut self,
        m: &syn::ExprMethodCall,
        name: &str,
        recv_ty: Option<&str>,
        start: Span,
        end: Span,
        usage: Usage,
    ) -> bool {
        if let Some(ty) = recv_ty {
            let path = self.model.method_of(ty, name);
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
            // Most calls match no fact: the display is built only for one.
            if self.opts.config.dependency_facts.contains_key(&path) {
                let display = format!("{}.{name}()", short(&m.receiver));
                if self.dependency_fact(&path, &display, start, end) {
                    return true;
                }
            }
            // A method of the crate's own type, or of a dependency's (read
            // from its source): the transitive closure decides if it blocks.
            if ty.starts_with("crate::") || self.model.is_extern(ty) {
                let display = format!("{}.{name}()", short(&m.receiver));
                // A trait's provided method (`conn.query(..)` of mysql's
                // `Queryable`): its own body, then, as the other way the
                // call may go, the type's impl method that body calls.
                match self.model.provided_target(ty, name) {
                    Some((provided, target)) => {
                        self.record_call(provided, display.clone(), start, end, usage);
                        if let Some(target) = target {
                            self.call_alt = true;
                            self.record_call(target, display, start, end, usage);
                            self.call_alt = false;
                        }
                    }
                    None => self.record_call(path, display, start, end, usage),
                }
            } else if let Some(path) =
                self.model
                    .extension_method(|| self.res.imported_heads(), ty, name)
            {
                // A method an extension trait adds to a std type
                // (`child.wait_timeout(d)`): the closure decides.
                let display = format!("{}.{name}()", short(&m.receiver));
                self.record_call(path, display, start, end, usage);
            }
        }
        false
    }

    /// The catalog's method rules.
    pub(super) fn check_method_matchers(
        &mut self,
        m: &syn::ExprMethodCall,
        name: &str,
        recv_ty: Option<&Ty>,
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
            // Only the standard library's and runtimes' entries: a matcher
            // for third-party types or calling conventions is left out.
            let std_only = self.opts.config.std_catalog_only;
            if std_only
                && (*shape == Shape::MutConnArg
                    || !types.is_empty() && !types.iter().any(|t| catalog::is_std_or_runtime(t)))
            {
                continue;
            }
            if args.is_some_and(|n| n != nargs) {
                continue;
            }
            let mut_conn =
                matches!(m.args.first(), Some(Expr::Reference(r)) if r.mutability.is_some());
            // The receiver's path, when the catalog's types may match it.
            let typed = recv_ty
                .filter(|t| t.is_plain())
                .map(|t| t.path.as_str())
                .filter(|p| types.contains(p))
                .filter(|p| !std_only || catalog::is_std_or_runtime(p));
            let confidence = match (recv_ty, typed, shape) {
                // Names no async API uses: whatever the receiver.
                (_, _, Shape::Always) if types.is_empty() => Some(Confidence::Certain),
                (_, Some(p), _) if LIKELY_TYPES.contains(&p) => Some(Confidence::Likely),
                (_, Some(_), _) => Some(Confidence::Certain),
                (Some(_), None, _) => None,
                (None, _, Shape::Always) => Some(Confidence::Likely),
                (None, _, Shape::Consumed) if usage.consumed() => Some(Confidence::Likely),
                (None, _, Shape::MutConnArg) if mut_conn && usage.consumed() => {
                    Some(Confidence::Likely)
                }
                _ => None,
            };
            if let Some(confidence) = confidence {
                let call = match typed {
                    Some(p) => format!("{p}::{name}"),
                    None => format!(".{name}()"),
                };
                let display = format!("{}.{name}()", short(&m.receiver));
                self.emit(rule, &call, &display, start, end, confidence, None);
                return;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit(
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
                            not_in_tests: self.not_in_tests > 0,
                            opt_in: self.opt_in > 0,
                            gates: self.gates,
                            ungates: self.ungates,
                            arms: self.arms.clone(),
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
                    async_fn: self.async_fn.clone(),
                });
            }
        }
    }
}

/// Combinators that call the fn they are given (on `Option`, `Result` and
/// iterators), so `.and_then(load_path)` calls `load_path`.
const CALLS_ITS_ARGUMENT: &[&str] = &[
    "and_then",
    "map",
    "then",
    "for_each",
    "try_for_each",
    "filter_map",
    "flat_map",
    "map_or_else",
    "unwrap_or_else",
    "or_else",
    "map_err",
    "ok_or_else",
    "inspect",
];

/// The arguments written `None` or `false` (bit `i` for the `i`-th).
/// Whether an argument names a flag that asks for the non-blocking form of
/// a call (`libc::LOCK_EX | libc::LOCK_NB`, `WNOHANG`, rustix's
/// `FlockOperation::NonBlockingLockExclusive`): such a call returns at once,
/// whatever the callee does without it, so it is neither a blocking root nor
/// followed.
fn asks_nonblocking<'e>(args: impl Iterator<Item = &'e Expr>) -> bool {
    fn flag(p: &syn::Path) -> bool {
        p.segments.last().is_some_and(|s| {
            let id = s.ident.to_string();
            NONBLOCKING_FLAGS.contains(&id.as_str()) || id.starts_with("NonBlocking")
        })
    }
    fn mentions(e: &Expr) -> bool {
        match e {
            Expr::Path(p) => flag(&p.path),
            Expr::Binary(b) => mentions(&b.left) || mentions(&b.right),
            Expr::Paren(p) => mentions(&p.expr),
            Expr::Unary(u) => mentions(&u.expr),
            Expr::Reference(r) => mentions(&r.expr),
            Expr::Cast(c) => mentions(&c.expr),
            Expr::MethodCall(m) => mentions(&m.receiver) || m.args.iter().any(mentions),
            Expr::Call(c) => c.args.iter().any(mentions),
            _ => false,
        }
    }
    args.into_iter().any(mentions)
}

/// The C library's flags for "do not wait" (flock(2), open(2), wait(2),
/// send(2)/recv(2), zmq_send(3)).
const NONBLOCKING_FLAGS: &[&str] = &[
    "LOCK_NB",
    "O_NONBLOCK",
    "O_NDELAY",
    "SOCK_NONBLOCK",
    "WNOHANG",
    "MSG_DONTWAIT",
    "ZMQ_DONTWAIT",
];

/// The method that made `e` a Rayon parallel iterator, when `e` is one: a
/// chain of method calls that starts at one of [`PAR_SOURCES`].
fn par_source(mut e: &Expr) -> Option<&syn::Ident> {
    loop {
        match e {
            Expr::MethodCall(r) if PAR_SOURCES.contains(&r.method.to_string().as_str()) => {
                return Some(&r.method);
            }
            Expr::MethodCall(r) => e = &r.receiver,
            Expr::Paren(p) => e = &p.expr,
            _ => return None,
        }
    }
}

/// The methods that make a Rayon parallel iterator, and those that run one
/// to its end (Rayon's names beside `std`'s: `reduce_with`, `find_any`, ..).
const PAR_SOURCES: &[&str] = &[
    "par_iter",
    "par_iter_mut",
    "into_par_iter",
    "par_bridge",
    "par_chunks",
    "par_chunks_mut",
    "par_windows",
    "par_lines",
    "par_split",
    "par_bytes",
    "par_chars",
];
const PAR_CONSUMERS: &[&str] = &[
    "reduce_with",
    "find_any",
    "find_first",
    "find_last",
    "for_each_with",
    "for_each_init",
    "try_reduce",
    "collect_into_vec",
    "position_any",
];
const PAR_SORTS: &[&str] = &[
    "par_sort",
    "par_sort_by",
    "par_sort_by_key",
    "par_sort_unstable",
    "par_sort_unstable_by",
    "par_sort_unstable_by_key",
    "par_extend",
];

impl Walker<'_> {
    /// A Rayon parallel iterator run to its end (`v.par_iter().map(f).sum()`)
    /// or a parallel sort: the caller parks until the pool is done. One
    /// finding per chain, at its outermost consumer (a `fold` is Rayon's
    /// adapter and `std`'s consumer).
    fn rayon_consumer(&mut self, m: &syn::ExprMethodCall, name: &str) {
        let sort = PAR_SORTS.contains(&name);
        if !sort && !super::ITER_CONSUMERS.contains(&name) && !PAR_CONSUMERS.contains(&name) {
            return;
        }
        let source = if sort {
            Some(&m.method)
        } else {
            par_source(&m.receiver)
        };
        let Some(source) = source else { return };
        // The node's address names the chain while the tree is walked.
        if !self.par_chains.insert(std::ptr::from_ref(source) as usize) {
            return;
        }
        // Sure when the file brings Rayon's traits in (`use rayon::prelude::*`).
        let confidence = if self.res.imported_heads().contains(&"rayon") {
            Confidence::Certain
        } else {
            Confidence::Likely
        };
        let display = format!("{}.{name}()", short(&m.receiver));
        let call = format!("rayon::iter::ParallelIterator::{name}");
        let (start, end) = (m.method.span(), m.paren_token.span.close());
        self.emit(
            &catalog::THREAD_JOIN,
            &call,
            &display,
            start,
            end,
            confidence,
            None,
        );
    }
}

/// What a call's arguments say about the callee's optional parameters.
#[derive(Clone, Debug, Default)]
pub(super) struct ArgFacts {
    /// Passed as `None` or `false` (see [`LocalCall::off_args`]).
    pub off: u64,
    /// Passed as `Some(..)` or `true` (see [`LocalCall::on_args`]).
    pub on: u64,
    /// The caller's own parameters handed on (see [`LocalCall::passes`]).
    pub passes: Vec<(u8, u8)>,
    /// Enum variants written out (see [`LocalCall::variant_args`]).
    pub variants: Vec<(u8, String)>,
}

impl Walker<'_> {
    pub(super) fn arg_facts<'e>(&self, args: impl Iterator<Item = &'e Expr>) -> ArgFacts {
        let mut facts = ArgFacts::default();
        for (i, a) in args.enumerate().take(64) {
            match a {
                Expr::Path(p) if p.qself.is_none() && p.path.is_ident("None") => {
                    facts.off |= 1 << i;
                }
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                }) => {
                    if b.value {
                        facts.on |= 1 << i;
                    } else {
                        facts.off |= 1 << i;
                    }
                }
                Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if p.qself.is_none() && p.path.is_ident("Some")) =>
                {
                    facts.on |= 1 << i;
                }
                _ => {
                    if let Some(j) = self.param_index(a) {
                        facts.passes.push((i as u8, j as u8));
                    } else if let Some(v) = paths::variant_arg(a) {
                        facts.variants.push((i as u8, v));
                    }
                }
            }
        }
        facts
    }
}

/// The argument of a setting called with one `true` or `false` written out.
fn bool_arg(m: &syn::ExprMethodCall) -> Option<bool> {
    match m.args.first() {
        Some(Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Bool(b),
            ..
        })) if m.args.len() == 1 => Some(b.value),
        _ => None,
    }
}
