//! The expansions: `#[no_blocking]`, `#[blocking]` and `#[allow_blocking]`.
//!
//! On any problem the item is still emitted, next to the errors, so that
//! rustc keeps type-checking it and the IDE keeps completing inside it.

use crate::diag::{self, Errors};
use crate::{args, facts, rename, strip, watchdog};
use pollguard_analysis::{Options, analyze_item, check_hatch, transitive};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Item, ItemFn};

const WHERE: &str = "put it on an `async fn`, a fn that returns `impl Future`, \
                     an `impl` block, a trait or an inline `mod`";

/// `#[no_blocking(..)]`.
pub(crate) fn no_blocking(args: TokenStream, input: TokenStream) -> TokenStream {
    // Code that does not parse is rustc's to report, with its better messages;
    // an error of ours on top would only be noise.
    let Ok(mut item) = syn::parse2::<Item>(input.clone()) else {
        return input;
    };
    let mut errors = Errors::default();
    let mut args = match args::parse(args) {
        Ok(a) => Some(a),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    // What reading the dependencies found, when `cargo pollguard` left it.
    let facts_file = match facts::load() {
        Ok(found) => found.as_ref(),
        Err(e) => {
            errors.push(syn::Error::new(
                proc_macro2::Span::call_site(),
                format!("pollguard cannot use its facts file: {e}"),
            ));
            None
        }
    };
    if let (Some(found), Some(a)) = (facts_file, args.as_mut()) {
        a.config.dependency_facts = found.facts.clone();
    }
    if let Err(e) = check_target(&item) {
        errors.push(e);
    }
    let renamed = args.as_ref().and_then(rename::Renamed::new);
    if let Some(r) = &renamed {
        r.for_analysis(&mut item);
    }
    let mut warnings = TokenStream::new();
    if let (Some(args), true) = (&args, errors.is_empty()) {
        let analysis = analyze_item(&item, &Options::new(&args.config));
        for e in analysis.errors.clone() {
            errors.push(e);
        }
        // Sync helpers of the same item that block: the CLI reports their
        // calls too, and the two must agree.
        let unit = transitive::Unit {
            krate: "crate",
            file: &analysis,
            config: &args.config,
            dependency: false,
            kind: transitive::CrateKind::Other,
            test: false,
        };
        let (indirect, _) = transitive::findings(&[unit]);
        let indirect = indirect.into_iter().map(|u| u.finding);
        for f in &analysis
            .findings
            .iter()
            .cloned()
            .chain(indirect)
            .collect::<Vec<_>>()
        {
            if diag::is_warning(f, args.warn_all) {
                warnings.extend(diag::warning(f));
            } else {
                errors.push(diag::error(f));
            }
        }
        if errors.is_empty()
            && warnings.is_empty()
            && analysis.hatches.is_empty()
            && facts_file.is_none()
        {
            if let Some(out) = unchanged(&input, &item, args) {
                return out;
            }
        }
        // The watchdog is only worth its expansion in code that compiles.
        if errors.is_empty() && args.watchdog {
            watchdog::wrap(&mut item, &args.krate(), args.budget_ns);
        }
    }
    strip::hatches(&mut item);
    if let Some(r) = &renamed {
        r.for_output(&mut item);
    }
    // The facts file is an input of this expansion: included, cargo
    // rebuilds the crate when `cargo pollguard` writes it again.
    if let Some(found) = facts_file {
        let path = syn::LitStr::new(
            &found.path.to_string_lossy(),
            proc_macro2::Span::call_site(),
        );
        warnings.extend(quote!(
            const _: &[u8] = include_bytes!(#path);
        ));
    }
    let mut out = TokenStream::new();
    if warnings.is_empty() {
        item.to_tokens(&mut out);
    } else if let Item::Fn(f) = &mut item {
        // A method cannot have a sibling `const _` item: warn from inside its body.
        let body = std::mem::take(&mut f.block.stmts);
        f.block
            .stmts
            .push(syn::Stmt::Expr(syn::Expr::Verbatim(warnings), None));
        f.block.stmts.extend(body);
        f.to_tokens(&mut out);
    } else {
        item.to_tokens(&mut out);
        out.extend(quote!(const _: () = { #warnings };));
    }
    out.extend(errors.into_tokens());
    out
}

/// The expansion of a clean item with nothing to remove, reusing the input's
/// tokens instead of printing the parsed item again: in a proc macro each new
/// token is a call into the compiler, and this is the path almost every item
/// takes. `None` when the item needs the general path.
fn unchanged(input: &TokenStream, item: &Item, args: &args::Args) -> Option<TokenStream> {
    if !args.watchdog {
        return Some(input.clone());
    }
    let Item::Fn(f) = item else { return None };
    // Inner attributes must stay first in the fn body: the general path moves them.
    if f.sig.asyncness.is_none()
        || f.attrs
            .iter()
            .any(|a| !matches!(a.style, syn::AttrStyle::Outer))
    {
        return None;
    }
    let mut tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let Some(TokenTree::Group(body)) = tokens.pop() else {
        return None;
    };
    if body.delimiter() != Delimiter::Brace {
        return None;
    }
    let name = f.sig.ident.to_string();
    let wrapped = watchdog::async_body(&f.sig, body.stream(), &name, &args.krate(), args.budget_ns);
    let mut group = proc_macro2::Group::new(Delimiter::Brace, wrapped);
    group.set_span(body.span());
    tokens.push(TokenTree::Group(group));
    Some(tokens.into_iter().collect())
}

/// Whether the attribute has something async to check in `item`.
fn check_target(item: &Item) -> syn::Result<()> {
    let kind = match item {
        Item::Fn(f) => return check_fn(f),
        Item::Impl(_) | Item::Trait(_) => return Ok(()),
        Item::Mod(m) if m.content.is_some() => return Ok(()),
        Item::Mod(m) => {
            return Err(syn::Error::new_spanned(
                m,
                format!(
                    "`#[no_blocking]` cannot see the contents of `mod {0};`, which live in another file: \
                     put it on the items in that file, or on an inline `mod {0} {{ .. }}`",
                    m.ident
                ),
            ));
        }
        Item::Struct(_) => "a struct",
        Item::Enum(_) => "an enum",
        Item::Union(_) => "a union",
        Item::Const(_) => "a const",
        Item::Static(_) => "a static",
        Item::Type(_) => "a type alias",
        Item::Use(_) => "a `use` declaration",
        Item::ForeignMod(_) => "an `extern` block",
        Item::ExternCrate(_) => "an `extern crate`",
        Item::Macro(_) => "a macro",
        Item::TraitAlias(_) => "a trait alias",
        _ => "this item",
    };
    Err(syn::Error::new(
        first_token_span(item),
        format!("`#[no_blocking]` checks async code and cannot go on {kind}: {WHERE}"),
    ))
}

fn check_fn(f: &ItemFn) -> syn::Result<()> {
    if f.sig.asyncness.is_some() || returns_impl_future(&f.sig.output) || has_async(f) {
        return Ok(());
    }
    let name = &f.sig.ident;
    let fn_token = &f.sig.fn_token;
    Err(syn::Error::new_spanned(
        quote!(#fn_token #name),
        format!(
            "`#[no_blocking]` checks async code, and `{name}` is a sync fn with no `async` block inside: \
             {WHERE}; to declare that `{name}` blocks, use `#[pollguard::blocking]`"
        ),
    ))
}

fn returns_impl_future(output: &syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else {
        return false;
    };
    let syn::Type::ImplTrait(it) = &**ty else {
        return false;
    };
    it.bounds.iter().any(|b| match b {
        syn::TypeParamBound::Trait(t) => t
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Future" || s.ident == "IntoFuture"),
        _ => false,
    })
}

/// Whether an async block or closure appears in the fn (`tokio::spawn(async
/// { .. })` in a sync fn, or `#[tokio::main]`'s expansion).
fn has_async(f: &ItemFn) -> bool {
    struct Finder(bool);
    impl Visit<'_> for Finder {
        fn visit_expr_async(&mut self, _: &syn::ExprAsync) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, c: &syn::ExprClosure) {
            if c.asyncness.is_some() {
                self.0 = true;
            } else {
                syn::visit::visit_expr_closure(self, c);
            }
        }
        // Tokens of macros are not parsed here: an async block hidden in a
        // macro call is the rare case, and rustc reports the error's span well.
    }
    let mut finder = Finder(false);
    finder.visit_block(&f.block);
    finder.0
}

/// The span of an item's first token after its attributes (`pub`, `struct`, ..).
fn first_token_span(item: &Item) -> Span {
    let mut tokens = TokenStream::new();
    item.to_tokens(&mut tokens);
    let mut iter = tokens.into_iter().peekable();
    // Skip outer attributes: `#` followed by a bracketed group.
    while let Some(TokenTree::Punct(p)) = iter.peek() {
        if p.as_char() != '#' {
            break;
        }
        iter.next();
        iter.next();
    }
    iter.next().map_or_else(|| item.span(), |t| t.span())
}

/// `#[blocking]`: identity on a sync fn, an error on anything else.
pub(crate) fn blocking(args: TokenStream, input: TokenStream) -> Result<(), TokenStream> {
    let mut errors = Errors::default();
    if let Some(first) = args.into_iter().next() {
        errors.push(syn::Error::new(
            first.span(),
            "`#[blocking]` takes no arguments: write `#[pollguard::blocking]`",
        ));
    }
    // Only the signature matters: the body is left unparsed.
    let head = |input: syn::parse::ParseStream<'_>| {
        input.call(syn::Attribute::parse_outer)?;
        input.parse::<syn::Visibility>()?;
        let sig = if input.peek(syn::Token![fn])
            || input.peek(syn::Token![async])
            || input.peek(syn::Token![const])
            || input.peek(syn::Token![unsafe])
            || input.peek(syn::Token![extern])
        {
            Some(input.parse::<syn::Signature>()?)
        } else {
            None
        };
        let rest: TokenStream = input.parse()?;
        Ok((sig, rest))
    };
    match syn::parse::Parser::parse2(head, input.clone()) {
        Ok((Some(sig), _)) if sig.asyncness.is_some() => {
            errors.push(syn::Error::new_spanned(
                sig.asyncness,
                format!(
                    "`#[blocking]` marks a sync fn that blocks, and `{}` is async: \
                     to check it for blocking calls, use `#[pollguard::no_blocking]`",
                    sig.ident
                ),
            ));
        }
        Ok((Some(_), _)) | Err(_) => {}
        Ok((None, rest)) => errors.push(syn::Error::new(
            rest.into_iter()
                .next()
                .map_or_else(Span::call_site, |t| t.span()),
            "`#[blocking]` goes on a sync fn that blocks, so that `#[no_blocking]` \
             reports its calls in async code",
        )),
    }
    if errors.is_empty() {
        return Ok(());
    }
    let mut out = input;
    out.extend(errors.into_tokens());
    Err(out)
}

/// `#[allow_blocking("reason")]` on an item: checked, then the item as it is.
///
/// Written above `#[no_blocking]`, it would expand first and vanish before
/// `#[no_blocking]` could see it; so it moves itself below the last
/// `#[no_blocking]`, which then reads and removes it.
pub(crate) fn allow_blocking(args: TokenStream, input: TokenStream) -> Result<(), TokenStream> {
    let span = Span::call_site();
    let tokens = if args.is_empty() {
        quote_spanned!(span=> #[pollguard::allow_blocking])
    } else {
        quote_spanned!(span=> #[pollguard::allow_blocking(#args)])
    };
    let parsed = syn::parse::Parser::parse2(syn::Attribute::parse_outer, tokens);
    let attr = match parsed.map(|mut a| a.pop()) {
        Ok(Some(attr)) => attr,
        Ok(None) => return Ok(()),
        Err(e) => {
            let mut out = input;
            out.extend(e.into_compile_error());
            return Err(out);
        }
    };
    if let Err(e) = check_hatch(&attr) {
        let mut out = input;
        out.extend(e.into_compile_error());
        return Err(out);
    }
    let tokens: Vec<TokenTree> = input.clone().into_iter().collect();
    let mut last_no_blocking = None;
    let mut i = 0;
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
        (tokens.get(i), tokens.get(i + 1))
    {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        if is_no_blocking(g.stream()) {
            last_no_blocking = Some(i + 2);
        }
        i += 2;
    }
    let Some(at) = last_no_blocking else {
        return Ok(());
    };
    let mut out = TokenStream::new();
    out.extend(tokens[..at].iter().cloned());
    out.extend(quote_spanned!(span=> #attr));
    out.extend(tokens[at..].iter().cloned());
    Err(out)
}

/// Whether the tokens inside `#[..]` name `no_blocking` (any path ending so).
fn is_no_blocking(attr: TokenStream) -> bool {
    let mut last_ident = None;
    for t in attr {
        match t {
            TokenTree::Ident(i) => last_ident = Some(i.to_string()),
            TokenTree::Punct(p) if p.as_char() == ':' => {}
            _ => break,
        }
    }
    last_ident.as_deref() == Some("no_blocking")
}
