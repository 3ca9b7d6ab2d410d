//! A fast "items only" parser: phase 1 of the two-phase engine.
//!
//! [`parse_items`] returns the same [`syn::File`] as [`syn::parse_file`],
//! except that fn bodies are left unparsed (empty blocks) unless the caller
//! asks for them, and `const`/`static` initializers are kept as
//! [`Expr::Verbatim`] tokens. The file is lexed once; bodies are skipped as
//! single token trees, so their cost is the lexer's and nothing more.
//!
//! What it accepts that `syn::parse_file` rejects: a file whose only syntax
//! errors are inside a skipped fn body, inside the initializer of a `const`
//! or `static` (both are kept as tokens, never parsed), or inside a fn body
//! of an impl that syn keeps as verbatim tokens (`impl const ..`, `pub impl`).
//! Every error in the item structure itself (signatures, headers, fields,
//! `use` trees, types, attributes) is still reported. `keep_body` may be
//! called twice for a body when a file is parsed a second time (see
//! [`parse_items`]).
//!
//! Measured 2026-11-30 on tokio 1.54.1's `src/` (380 files, 3.6 MB; release,
//! median of 5, on 2 cores shared with other jobs, load average ~6.6, so
//! three repetitions ranged 0.52x-0.63x): `syn::parse_file` 264 ms,
//! `parse_items(.., |_| false)` 166 ms (0.63x), lexer alone 69 ms (0.26x).
//! Command:
//! `cargo run --release -p pollguard-analysis --example shallow_bench -- <tokio>/src 5`.
//! What is left after the lexer is mostly attributes (doc comments) and
//! signatures, which phase 1 needs.

use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};
use std::cell::{Cell, RefCell};
use syn::buffer::Cursor;
use syn::ext::IdentExt as _;
use syn::parse::discouraged::Speculative as _;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{
    AttrStyle, Attribute, Block, Error, Expr, ExprLit, File, Generics, Ident, ImplItem,
    ImplItemConst, ImplItemFn, Item, ItemConst, ItemFn, ItemImpl, ItemMod, ItemStatic, ItemTrait,
    Lit, Meta, MetaNameValue, Result, Signature, StaticMutability, Token, TraitItem, TraitItemFn,
    Type, TypeParamBound, TypePath, Visibility, braced, bracketed, token,
};

/// Parses a file's items, with fn bodies skipped unless `keep_body` says otherwise.
///
/// `keep_body` sees the inner tokens of each fn body's braces (free fns, fns
/// in `impl` and `trait` blocks, at any depth of inline `mod`s); when it
/// returns true, that body is parsed in full, otherwise the fn gets an empty
/// block (its inner attributes, such as `#![allow(..)]`, are still parsed and
/// kept in the fn's attrs, as `syn` does). `const`/`static` initializers
/// become [`Expr::Verbatim`] of their tokens. Items that `syn` keeps as
/// `Verbatim` (e.g. `pub impl`, `fn f();` at module level) keep all their
/// tokens, bodies included.
///
/// Fails when `syn::parse_file` fails, except for errors inside a skipped body
/// or a `const`/`static` initializer (see the module docs).
pub fn parse_items(text: &str, keep_body: &dyn Fn(&TokenStream) -> bool) -> Result<File> {
    let (shebang, content) = split_shebang(text);
    let tokens: TokenStream = content.parse().map_err(Error::from)?;
    // Fast path: fn bodies are lifted out of the token tree before syn
    // builds its buffer, which would otherwise copy (and later free) every
    // token of every body. The lifting is a guess from tokens alone; if the
    // parse disagrees with it anywhere (a lifted group that was not a fn
    // body, or an error), the file is lexed and parsed again without it:
    // rare, and cheaper than keeping a second, shared copy of the tokens,
    // which would make the lifting copy every token instead of moving it.
    let mut bodies = Vec::new();
    let lifted = lift_bodies(tokens, &mut bodies);
    let fast = Shallow {
        keep_body,
        bodies: RefCell::new(bodies),
        in_verbatim: Cell::new(false),
    };
    let mut file = match parse_file_with(&fast, lifted) {
        Ok(file) if fast.bodies.borrow().iter().all(Option::is_none) => file,
        _ => {
            let exact = Shallow {
                keep_body,
                bodies: RefCell::new(Vec::new()),
                in_verbatim: Cell::new(false),
            };
            let tokens: TokenStream = content.parse().map_err(Error::from)?;
            parse_file_with(&exact, tokens)?
        }
    };
    file.shebang = shebang;
    Ok(file)
}

fn parse_file_with(shallow: &Shallow, tokens: TokenStream) -> Result<File> {
    (|input: ParseStream| {
        let attrs = input.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(shallow.item(input)?);
        }
        Ok(File {
            shebang: None,
            attrs,
            items,
        })
    })
    .parse2(tokens)
}

/// Where a lifted body sits at a token level: after `fn` (its body), after
/// `impl`/`trait`/`mod` (a block of items to lift from), or neither.
#[derive(Clone, Copy, PartialEq)]
enum Lift {
    Idle,
    Fn,
    Items,
}

/// Replaces, at item level, each fn body `{ .. }` with a marker `{ ⟨i⟩ }`
/// (a none-delimited group holding the index `i` into `bodies`; the lexer
/// never makes such groups, so a marker cannot be mistaken for code), and
/// recurses into `impl`, `trait` and `mod` blocks.
///
/// The body of a fn is taken to be the first brace group after `fn` outside
/// `<..>`; `;` or `=` there ends the search (`fn f();`, `type F = fn();`,
/// `static F: fn() = ..`). Misses and false hits are caught by the parser.
fn lift_bodies(stream: TokenStream, bodies: &mut Vec<Option<TokenStream>>) -> TokenStream {
    let mut state = Lift::Idle;
    let mut angle = 0i32;
    let mut after_minus = false;
    let mut out = Vec::new();
    for tt in stream {
        let mut minus = false;
        let tt = match tt {
            TokenTree::Ident(ident) => {
                // Inside `<..>` these are types (`S<F = fn()>`), not items.
                if state == Lift::Idle && angle == 0 {
                    if ident == "fn" {
                        state = Lift::Fn;
                    } else if ident == "impl" || ident == "trait" || ident == "mod" {
                        state = Lift::Items;
                    }
                }
                TokenTree::Ident(ident)
            }
            TokenTree::Punct(punct) => {
                match punct.as_char() {
                    '<' => angle += 1,
                    // `->` is no closing angle.
                    '>' if !after_minus => angle -= 1,
                    ';' if angle <= 0 => {
                        state = Lift::Idle;
                        angle = 0;
                    }
                    '=' if angle <= 0 && state == Lift::Fn => state = Lift::Idle,
                    '-' => minus = punct.spacing() == Spacing::Joint,
                    _ => {}
                }
                TokenTree::Punct(punct)
            }
            TokenTree::Group(group)
                if group.delimiter() == Delimiter::Brace && angle == 0 && state != Lift::Idle =>
            {
                let span = group.span();
                let inner = group.stream();
                drop(group);
                let stream = if state == Lift::Fn {
                    let index = bodies.len();
                    bodies.push(Some(inner));
                    marker(index)
                } else {
                    lift_bodies(inner, bodies)
                };
                state = Lift::Idle;
                angle = 0;
                let mut group = Group::new(Delimiter::Brace, stream);
                group.set_span(span);
                TokenTree::Group(group)
            }
            TokenTree::Group(group) => {
                // A brace group at item level ends an item (a struct, an
                // enum, a macro call): whatever came before is settled.
                if group.delimiter() == Delimiter::Brace && state == Lift::Idle {
                    angle = 0;
                }
                TokenTree::Group(group)
            }
            other => other,
        };
        after_minus = minus;
        out.push(tt);
    }
    out.into_iter().collect()
}

fn marker(index: usize) -> TokenStream {
    let index = TokenTree::Literal(Literal::usize_unsuffixed(index));
    TokenTree::Group(Group::new(Delimiter::None, index.into())).into()
}

/// The index in a marker `{ ⟨i⟩ }` whose group starts at `cursor`.
fn marker_at(cursor: Cursor) -> Option<usize> {
    let (inside, _, _) = cursor.group(Delimiter::Brace)?;
    let (inner, _, after) = inside.group(Delimiter::None)?;
    let (literal, rest) = inner.literal()?;
    if !rest.eof() || !after.eof() {
        return None;
    }
    literal.to_string().parse().ok()
}

/// The index in a marker group, for tokens outside a syn buffer.
fn marker_of(group: &Group) -> Option<usize> {
    if group.delimiter() != Delimiter::Brace {
        return None;
    }
    let mut outer = group.stream().into_iter();
    let (Some(TokenTree::Group(none)), None) = (outer.next(), outer.next()) else {
        return None;
    };
    if none.delimiter() != Delimiter::None {
        return None;
    }
    let mut inner = none.stream().into_iter();
    let (Some(TokenTree::Literal(literal)), None) = (inner.next(), inner.next()) else {
        return None;
    };
    literal.to_string().parse().ok()
}

/// Splits off the BOM and a `#!` line exactly as `syn::parse_file` does, so
/// spans and the `shebang` field agree with it.
fn split_shebang(mut content: &str) -> (Option<String>, &str) {
    const BOM: &str = "\u{feff}";
    if let Some(rest) = content.strip_prefix(BOM) {
        content = rest;
    }
    if let Some(after) = content.strip_prefix("#!") {
        // `#![attr]` is an inner attribute, not a shebang, even with
        // whitespace or comments between `!` and `[`.
        if !skip_whitespace(after).starts_with('[') {
            return match content.find('\n') {
                Some(idx) => (Some(content[..idx].to_string()), &content[idx..]),
                None => (Some(content.to_string()), ""),
            };
        }
    }
    (None, content)
}

/// Skips whitespace and non-doc comments, as syn's private `whitespace::skip`.
fn skip_whitespace(mut s: &str) -> &str {
    'skip: while let Some(&byte) = s.as_bytes().first() {
        if byte == b'/' {
            if s.starts_with("//")
                && (!s.starts_with("///") || s.starts_with("////"))
                && !s.starts_with("//!")
            {
                match s.find('\n') {
                    Some(i) => {
                        s = &s[i + 1..];
                        continue;
                    }
                    None => return "",
                }
            } else if let Some(rest) = s.strip_prefix("/**/") {
                s = rest;
                continue;
            } else if s.starts_with("/*")
                && (!s.starts_with("/**") || s.starts_with("/***"))
                && !s.starts_with("/*!")
            {
                let bytes = s.as_bytes();
                let mut depth = 0usize;
                let mut i = 0;
                while i + 1 < bytes.len() {
                    if bytes[i] == b'/' && bytes[i + 1] == b'*' {
                        depth += 1;
                        i += 1;
                    } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            s = &s[i + 2..];
                            continue 'skip;
                        }
                        i += 1;
                    }
                    i += 1;
                }
                return s;
            }
        }
        match s.chars().next() {
            Some(ch) if ch.is_whitespace() || ch == '\u{200e}' || ch == '\u{200f}' => {
                s = &s[ch.len_utf8()..];
            }
            _ => return s,
        }
    }
    s
}

/// The item loop; holds the caller's choice of bodies to parse and the
/// bodies lifted out of the tokens, each taken (set to `None`) once parsed.
struct Shallow<'k> {
    keep_body: &'k dyn Fn(&TokenStream) -> bool,
    bodies: RefCell<Vec<Option<TokenStream>>>,
    /// Inside an item syn keeps as verbatim tokens: its lifted bodies stay
    /// in `bodies` for [`Shallow::verbatim`] to put back.
    in_verbatim: Cell<bool>,
}

impl Shallow<'_> {
    /// One module-level item, mirroring syn's `parse_rest_of_item` dispatch.
    fn item(&self, input: ParseStream) -> Result<Item> {
        let begin = input.cursor();
        let mut attrs = outer_attrs(input)?;
        let ahead = input.fork();
        ahead.parse::<Visibility>()?;

        if ahead.peek(Token![fn]) || peek_signature(&ahead) {
            let vis: Visibility = input.parse()?;
            let sig: Signature = input.parse()?;
            if input.peek(Token![;]) {
                input.parse::<Token![;]>()?;
                return Ok(Item::Verbatim(self.verbatim(begin, input.cursor())));
            }
            let block = self.body(input, &mut attrs)?;
            return Ok(Item::Fn(ItemFn {
                attrs,
                vis,
                sig,
                block: Box::new(block),
            }));
        }
        if ahead.peek(Token![impl])
            || ahead.peek(Token![default]) && !ahead.peek2(Token![!])
            || ahead.peek(Token![unsafe]) && ahead.peek2(Token![impl])
        {
            return self.item_impl(input, begin, attrs);
        }
        if ahead.peek(Token![trait])
            || ahead.peek(Token![auto]) && ahead.peek2(Token![trait])
            || ahead.peek(Token![unsafe])
                && (ahead.peek2(Token![trait])
                    || ahead.peek2(Token![auto]) && ahead.peek3(Token![trait]))
        {
            return self.item_trait(input, begin, attrs);
        }
        if ahead.peek(Token![mod]) || ahead.peek(Token![unsafe]) && ahead.peek2(Token![mod]) {
            return self.item_mod(input, attrs);
        }
        if ahead.peek(Token![const]) {
            let fork = input.fork();
            if let Ok(Some(item)) = const_placeholder(&fork) {
                input.advance_to(&fork);
                return Ok(Item::Const(ItemConst { attrs, ..item }));
            }
        } else if ahead.peek(Token![static]) {
            let fork = input.fork();
            if let Ok(Some(item)) = static_placeholder(&fork) {
                input.advance_to(&fork);
                return Ok(Item::Static(ItemStatic { attrs, ..item }));
            }
        }
        self.delegate_item(input, begin, attrs)
    }

    /// A fn body: one brace group, skipped unless `keep_body` wants it.
    ///
    /// Inner attributes go to `attrs`, where syn puts them.
    fn body(&self, input: ParseStream, attrs: &mut Vec<Attribute>) -> Result<Block> {
        if let Some(index) = marker_at(input.cursor()) {
            if self.in_verbatim.get() {
                return skip_body(input);
            }
            let body = self
                .bodies
                .borrow_mut()
                .get_mut(index)
                .and_then(Option::take);
            if let Some(body) = body {
                return self.lifted_body(input, body, attrs);
            }
        }
        let keep = match input.cursor().token_tree() {
            Some((TokenTree::Group(group), _)) if group.delimiter() == Delimiter::Brace => {
                (self.keep_body)(&group.stream())
            }
            _ => false,
        };
        if keep || starts_with_inner_attr(input.cursor()) {
            let content;
            let brace_token = braced!(content in input);
            attrs.extend(content.call(Attribute::parse_inner)?);
            let stmts = if keep {
                content.call(Block::parse_within)?
            } else {
                skip_rest(&content)?;
                Vec::new()
            };
            return Ok(Block { brace_token, stmts });
        }
        // The common case: step over the whole group without visiting its
        // tokens, which is what makes this parser cheap.
        skip_body(input)
    }

    /// A body lifted by [`lift_bodies`]; `input` is at its marker group.
    fn lifted_body(
        &self,
        input: ParseStream,
        body: TokenStream,
        attrs: &mut Vec<Attribute>,
    ) -> Result<Block> {
        let brace_token = input.step(|cursor| match cursor.group(Delimiter::Brace) {
            Some((_, span, after)) => Ok((token::Brace { span }, after)),
            None => Err(cursor.error("expected curly braces")),
        })?;
        if (self.keep_body)(&body) {
            let (inner, stmts) = (|input: ParseStream| {
                let inner = input.call(Attribute::parse_inner)?;
                Ok((inner, input.call(Block::parse_within)?))
            })
            .parse2(body)?;
            attrs.extend(inner);
            return Ok(Block { brace_token, stmts });
        }
        // Only a body that starts with `#!` needs a buffer, for its inner
        // attributes; the body is owned here, so peeking moves no tokens.
        let mut tokens = body.into_iter();
        let first = tokens.next();
        let second = tokens.next();
        let inner_attr = matches!(
            (&first, &second),
            (Some(TokenTree::Punct(pound)), Some(TokenTree::Punct(bang)))
                if pound.as_char() == '#' && bang.as_char() == '!'
        );
        if inner_attr {
            let body: TokenStream = first.into_iter().chain(second).chain(tokens).collect();
            let inner = (|input: ParseStream| {
                let inner = input.call(Attribute::parse_inner)?;
                skip_rest(input)?;
                Ok(inner)
            })
            .parse2(body)?;
            attrs.extend(inner);
        }
        Ok(Block {
            brace_token,
            stmts: Vec::new(),
        })
    }

    /// Verbatim tokens from `begin` to `end`, with lifted bodies put back.
    fn verbatim(&self, begin: Cursor, end: Cursor) -> TokenStream {
        let tokens = between(begin, end);
        if self.bodies.borrow().is_empty() {
            tokens
        } else {
            self.restore(tokens)
        }
    }

    fn restore(&self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Group(group) => {
                    let body = marker_of(&group).and_then(|index| {
                        self.bodies
                            .borrow_mut()
                            .get_mut(index)
                            .and_then(Option::take)
                    });
                    let stream = match body {
                        Some(body) => body,
                        None => self.restore(group.stream()),
                    };
                    let mut restored = Group::new(group.delimiter(), stream);
                    restored.set_span(group.span());
                    TokenTree::Group(restored)
                }
                other => other,
            })
            .collect()
    }

    /// `impl` blocks, as syn's `parse_impl` with `allow_verbatim_impl`.
    fn item_impl(
        &self,
        input: ParseStream,
        begin: Cursor,
        mut attrs: Vec<Attribute>,
    ) -> Result<Item> {
        let has_visibility = !matches!(input.parse::<Visibility>()?, Visibility::Inherited);
        let defaultness: Option<Token![default]> = input.parse()?;
        let unsafety: Option<Token![unsafe]> = input.parse()?;
        let impl_token: Token![impl] = input.parse()?;
        let mut generics: Generics = if choose_generics_over_qpath(input) {
            input.parse()?
        } else {
            Generics::default()
        };
        let is_const_impl =
            input.peek(Token![const]) || input.peek(Token![?]) && input.peek2(Token![const]);
        if is_const_impl {
            input.parse::<Option<Token![?]>>()?;
            input.parse::<Token![const]>()?;
        }
        let polarity = if input.peek(Token![!]) && !input.peek2(token::Brace) {
            Some(input.parse::<Token![!]>()?)
        } else {
            None
        };
        let first_ty: Type = input.parse()?;
        let is_impl_for = input.peek(Token![for]);
        let (trait_, self_ty) = if is_impl_for {
            let for_token: Token![for] = input.parse()?;
            let mut ty = first_ty;
            while let Type::Group(group) = ty {
                ty = *group.elem;
            }
            let trait_ = match ty {
                Type::Path(TypePath { qself: None, path }) => Some((polarity, path, for_token)),
                // Not a trait path: syn keeps such an impl as verbatim tokens.
                _ => None,
            };
            (trait_, input.parse::<Type>()?)
        } else if let Some(polarity) = polarity {
            return Err(Error::new(
                polarity.span,
                "inherent impls cannot be negative",
            ));
        } else {
            (None, first_ty)
        };
        generics.where_clause = input.parse()?;

        let verbatim = has_visibility || is_const_impl || is_impl_for && trait_.is_none();
        let content;
        let brace_token = braced!(content in input);
        attrs.extend(content.call(Attribute::parse_inner)?);
        let mut items = Vec::new();
        let outer = self.in_verbatim.replace(verbatim);
        let parsed = (|| {
            while !content.is_empty() {
                items.push(self.impl_item(&content)?);
            }
            Ok::<(), Error>(())
        })();
        self.in_verbatim.set(outer);
        parsed?;

        if verbatim {
            return Ok(Item::Verbatim(self.verbatim(begin, input.cursor())));
        }
        Ok(Item::Impl(ItemImpl {
            attrs,
            defaultness,
            unsafety,
            impl_token,
            generics,
            trait_,
            self_ty: Box::new(self_ty),
            brace_token,
            items,
        }))
    }

    /// One item of an `impl` block, mirroring syn's `ImplItem` parser.
    fn impl_item(&self, input: ParseStream) -> Result<ImplItem> {
        let begin = input.cursor();
        let mut attrs = outer_attrs(input)?;
        let ahead = input.fork();
        ahead.parse::<Visibility>()?;
        if ahead.peek(Token![default]) && !ahead.peek2(Token![!]) {
            ahead.parse::<Token![default]>()?;
        }

        if ahead.peek(Token![fn]) || peek_signature(&ahead) {
            let vis: Visibility = input.parse()?;
            let defaultness: Option<Token![default]> = input.parse()?;
            let sig: Signature = input.parse()?;
            // syn accepts a missing body here (macro DSLs use it) as verbatim.
            if input.peek(Token![;]) {
                input.parse::<Token![;]>()?;
                return Ok(ImplItem::Verbatim(self.verbatim(begin, input.cursor())));
            }
            let block = self.body(input, &mut attrs)?;
            return Ok(ImplItem::Fn(ImplItemFn {
                attrs,
                vis,
                defaultness,
                sig,
                block,
            }));
        }
        if ahead.peek(Token![const]) {
            let fork = input.fork();
            if let Ok(Some(item)) = impl_const_placeholder(&fork) {
                input.advance_to(&fork);
                return Ok(ImplItem::Const(ImplItemConst { attrs, ..item }));
            }
        }
        let mut item: ImplItem = input.parse()?;
        let item_attrs = match &mut item {
            ImplItem::Const(item) => &mut item.attrs,
            ImplItem::Fn(item) => &mut item.attrs,
            ImplItem::Type(item) => &mut item.attrs,
            ImplItem::Macro(item) => &mut item.attrs,
            _ => return Ok(ImplItem::Verbatim(self.verbatim(begin, input.cursor()))),
        };
        prepend(item_attrs, attrs);
        Ok(item)
    }

    /// `trait` blocks (not aliases), as syn's `parse_rest_of_trait`.
    fn item_trait(&self, input: ParseStream, begin: Cursor, attrs: Vec<Attribute>) -> Result<Item> {
        // `trait A = B;` is an alias: small, and syn's own parser knows it.
        let ahead = input.fork();
        ahead.parse::<Visibility>()?;
        if ahead.peek(Token![trait]) {
            ahead.parse::<Token![trait]>()?;
            ahead.parse::<Ident>()?;
            ahead.parse::<Generics>()?;
            if ahead.peek(Token![=]) {
                return self.delegate_item(input, begin, attrs);
            }
        }

        let mut attrs = attrs;
        let vis: Visibility = input.parse()?;
        let unsafety: Option<Token![unsafe]> = input.parse()?;
        let auto_token: Option<Token![auto]> = input.parse()?;
        let trait_token: Token![trait] = input.parse()?;
        let ident: Ident = input.parse()?;
        let mut generics: Generics = input.parse()?;
        let colon_token: Option<Token![:]> = input.parse()?;
        let mut supertraits = Punctuated::new();
        if colon_token.is_some() {
            loop {
                if input.peek(Token![where]) || input.peek(token::Brace) {
                    break;
                }
                let bound: TypeParamBound = input.parse()?;
                if let TypeParamBound::PreciseCapture(capture) = &bound {
                    return Err(Error::new(
                        capture.use_token.span,
                        "`use<...>` precise capturing syntax is not allowed here",
                    ));
                }
                supertraits.push_value(bound);
                if input.peek(Token![where]) || input.peek(token::Brace) {
                    break;
                }
                supertraits.push_punct(input.parse()?);
            }
        }
        generics.where_clause = input.parse()?;

        let content;
        let brace_token = braced!(content in input);
        attrs.extend(content.call(Attribute::parse_inner)?);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(self.trait_item(&content)?);
        }
        Ok(Item::Trait(ItemTrait {
            attrs,
            vis,
            unsafety,
            auto_token,
            restriction: None,
            trait_token,
            ident,
            generics,
            colon_token,
            supertraits,
            brace_token,
            items,
        }))
    }

    /// One item of a `trait` block, mirroring syn's `TraitItem` parser.
    fn trait_item(&self, input: ParseStream) -> Result<TraitItem> {
        let begin = input.cursor();
        let mut attrs = outer_attrs(input)?;
        let ahead = input.fork();
        let vis: Visibility = ahead.parse()?;
        let defaultness: Option<Token![default]> = ahead.parse()?;

        // A `pub` or `default` trait fn is verbatim in syn; leave it to syn.
        if matches!(vis, Visibility::Inherited)
            && defaultness.is_none()
            && (ahead.peek(Token![fn]) || peek_signature(&ahead))
        {
            let sig: Signature = input.parse()?;
            let lookahead = input.lookahead1();
            let (default, semi_token) = if lookahead.peek(token::Brace) {
                (Some(self.body(input, &mut attrs)?), None)
            } else if lookahead.peek(Token![;]) {
                (None, Some(input.parse()?))
            } else {
                return Err(lookahead.error());
            };
            return Ok(TraitItem::Fn(TraitItemFn {
                attrs,
                sig,
                default,
                semi_token,
            }));
        }
        let mut item: TraitItem = input.parse()?;
        let item_attrs = match &mut item {
            TraitItem::Const(item) => &mut item.attrs,
            TraitItem::Fn(item) => &mut item.attrs,
            TraitItem::Type(item) => &mut item.attrs,
            TraitItem::Macro(item) => &mut item.attrs,
            _ => return Ok(TraitItem::Verbatim(self.verbatim(begin, input.cursor()))),
        };
        prepend(item_attrs, attrs);
        Ok(item)
    }

    /// `mod m;` and inline `mod m { .. }`, whose items get the same treatment.
    fn item_mod(&self, input: ParseStream, mut attrs: Vec<Attribute>) -> Result<Item> {
        let vis: Visibility = input.parse()?;
        let unsafety: Option<Token![unsafe]> = input.parse()?;
        let mod_token: Token![mod] = input.parse()?;
        let ident: Ident = if input.peek(Token![try]) {
            input.call(Ident::parse_any)?
        } else {
            input.parse()?
        };
        let lookahead = input.lookahead1();
        if lookahead.peek(Token![;]) {
            return Ok(Item::Mod(ItemMod {
                attrs,
                vis,
                unsafety,
                mod_token,
                ident,
                content: None,
                semi: Some(input.parse()?),
            }));
        }
        if !lookahead.peek(token::Brace) {
            return Err(lookahead.error());
        }
        let content;
        let brace_token = braced!(content in input);
        attrs.extend(content.call(Attribute::parse_inner)?);
        let mut items = Vec::new();
        while !content.is_empty() {
            items.push(self.item(&content)?);
        }
        Ok(Item::Mod(ItemMod {
            attrs,
            vis,
            unsafety,
            mod_token,
            ident,
            content: Some((brace_token, items)),
            semi: None,
        }))
    }
}

/// Outer attributes, as `Attribute::parse_outer`, with a fast path for the
/// commonest by far, `#[doc = "..."]` (every `///` line): syn's own parser
/// interprets the literal twice (once to peek) and goes through the
/// expression parser.
fn outer_attrs(input: ParseStream) -> Result<Vec<Attribute>> {
    let mut attrs = Vec::new();
    while input.peek(Token![#]) {
        let doc = input.step(|cursor| {
            Ok(match doc_attr(*cursor) {
                Some((attr, rest)) => (Some(attr), rest),
                None => (None, *cursor),
            })
        })?;
        if let Some(attr) = doc {
            attrs.push(attr);
            continue;
        }
        let content;
        attrs.push(Attribute {
            pound_token: input.parse()?,
            style: AttrStyle::Outer,
            bracket_token: bracketed!(content in input),
            meta: content.parse()?,
        });
    }
    Ok(attrs)
}

/// `#[doc = "..."]` at `cursor`, built as syn builds it.
fn doc_attr(cursor: Cursor) -> Option<(Attribute, Cursor)> {
    let (pound, cursor) = cursor.punct()?;
    let (inside, span, after) = cursor.group(Delimiter::Bracket)?;
    let (ident, rest) = inside.ident()?;
    let (eq, rest) = rest.punct()?;
    let (literal, rest) = rest.literal()?;
    if pound.as_char() != '#' || ident != "doc" || eq.as_char() != '=' || !rest.eof() {
        return None;
    }
    let Lit::Str(lit) = Lit::new(literal) else {
        return None;
    };
    let attr = Attribute {
        pound_token: Token![#](pound.span()),
        style: AttrStyle::Outer,
        bracket_token: token::Bracket { span },
        meta: Meta::NameValue(MetaNameValue {
            path: ident.into(),
            eq_token: Token![=](eq.span()),
            value: Expr::Lit(ExprLit {
                attrs: Vec::new(),
                lit: Lit::Str(lit),
            }),
        }),
    };
    Some((attr, after))
}

impl Shallow<'_> {
    /// Lets syn parse an item whose outer attributes are already parsed, then
    /// gives them back to it (or, for verbatim items, their tokens).
    fn delegate_item(
        &self,
        input: ParseStream,
        begin: Cursor,
        attrs: Vec<Attribute>,
    ) -> Result<Item> {
        let mut item: Item = input.parse()?;
        let item_attrs = match &mut item {
            Item::Const(item) => &mut item.attrs,
            Item::Enum(item) => &mut item.attrs,
            Item::ExternCrate(item) => &mut item.attrs,
            Item::Fn(item) => &mut item.attrs,
            Item::ForeignMod(item) => &mut item.attrs,
            Item::Impl(item) => &mut item.attrs,
            Item::Macro(item) => &mut item.attrs,
            Item::Mod(item) => &mut item.attrs,
            Item::Static(item) => &mut item.attrs,
            Item::Struct(item) => &mut item.attrs,
            Item::Trait(item) => &mut item.attrs,
            Item::TraitAlias(item) => &mut item.attrs,
            Item::Type(item) => &mut item.attrs,
            Item::Union(item) => &mut item.attrs,
            Item::Use(item) => &mut item.attrs,
            _ => return Ok(Item::Verbatim(self.verbatim(begin, input.cursor()))),
        };
        prepend(item_attrs, attrs);
        Ok(item)
    }
}

/// Puts the outer attributes before the ones the item parsed itself (its
/// inner attributes), the order syn uses.
fn prepend(item_attrs: &mut Vec<Attribute>, mut outer: Vec<Attribute>) {
    outer.append(item_attrs);
    *item_attrs = outer;
}

/// `const NAME: Ty = <tokens>;` with the initializer kept as tokens.
///
/// `Ok(None)` (or an error) means "not this simple shape": generics, a
/// `where` clause or a missing value make syn produce `Verbatim` or an error,
/// so the caller leaves those to syn.
fn const_placeholder(input: ParseStream) -> Result<Option<ItemConst>> {
    let vis: Visibility = input.parse()?;
    let const_token: Token![const] = input.parse()?;
    let Some(ident) = const_name(input)? else {
        return Ok(None);
    };
    let colon_token: Token![:] = input.parse()?;
    let ty: Type = input.parse()?;
    let eq_token: Token![=] = input.parse()?;
    let Some(expr) = initializer(input)? else {
        return Ok(None);
    };
    Ok(Some(ItemConst {
        attrs: Vec::new(),
        vis,
        const_token,
        ident,
        generics: Generics::default(),
        colon_token,
        ty: Box::new(ty),
        eq_token,
        expr: Box::new(expr),
        semi_token: input.parse()?,
    }))
}

/// The `const` of an `impl` block, as [`const_placeholder`].
fn impl_const_placeholder(input: ParseStream) -> Result<Option<ImplItemConst>> {
    let vis: Visibility = input.parse()?;
    let defaultness: Option<Token![default]> = input.parse()?;
    let const_token: Token![const] = input.parse()?;
    let Some(ident) = const_name(input)? else {
        return Ok(None);
    };
    let colon_token: Token![:] = input.parse()?;
    let ty: Type = input.parse()?;
    let eq_token: Token![=] = input.parse()?;
    let Some(expr) = initializer(input)? else {
        return Ok(None);
    };
    Ok(Some(ImplItemConst {
        attrs: Vec::new(),
        vis,
        defaultness,
        const_token,
        ident,
        generics: Generics::default(),
        colon_token,
        ty,
        eq_token,
        expr,
        semi_token: input.parse()?,
    }))
}

/// A const's name (`_` allowed); `None` when generics follow.
fn const_name(input: ParseStream) -> Result<Option<Ident>> {
    let ident = if input.peek(Ident) || input.peek(Token![_]) {
        input.call(Ident::parse_any)?
    } else {
        return Ok(None);
    };
    Ok(if input.peek(Token![<]) {
        None
    } else {
        Some(ident)
    })
}

/// `static [mut] NAME: Ty = <tokens>;`; other shapes are syn's (verbatim).
fn static_placeholder(input: ParseStream) -> Result<Option<ItemStatic>> {
    let vis: Visibility = input.parse()?;
    let static_token: Token![static] = input.parse()?;
    let mutability: StaticMutability = input.parse()?;
    let ident: Ident = input.parse()?;
    let colon_token: Token![:] = input.parse()?;
    let ty: Type = input.parse()?;
    let eq_token: Token![=] = input.parse()?;
    let Some(expr) = initializer(input)? else {
        return Ok(None);
    };
    Ok(Some(ItemStatic {
        attrs: Vec::new(),
        vis,
        static_token,
        mutability,
        ident,
        colon_token,
        ty: Box::new(ty),
        eq_token,
        expr: Box::new(expr),
        semi_token: input.parse()?,
    }))
}

/// The tokens up to the next `;` at this level, as an expression
/// placeholder; the `;` stays. An expression can hold `;` or `where` only
/// inside a group, so a top-level `where` means a where clause (syn's
/// business) and an empty initializer is an error (also syn's).
fn initializer(input: ParseStream) -> Result<Option<Expr>> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = Vec::new();
        while let Some((tt, next)) = rest.token_tree() {
            match &tt {
                TokenTree::Punct(punct) if punct.as_char() == ';' => {
                    if tokens.is_empty() {
                        return Ok((None, rest));
                    }
                    let expr = Expr::Verbatim(tokens.into_iter().collect());
                    return Ok((Some(expr), rest));
                }
                TokenTree::Ident(ident) if ident == "where" => return Ok((None, rest)),
                _ => tokens.push(tt),
            }
            rest = next;
        }
        Ok((None, rest))
    })
}

/// Whether a fn signature starts here, as syn's private `peek_signature`
/// (`safe` is not allowed outside extern blocks).
fn peek_signature(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.parse::<Option<Token![const]>>().is_ok()
        && fork.parse::<Option<Token![async]>>().is_ok()
        && fork.parse::<Option<Token![unsafe]>>().is_ok()
        && fork.parse::<Option<syn::Abi>>().is_ok()
        && fork.peek(Token![fn])
}

/// Whether `impl <` opens generics rather than a qualified path
/// (`impl <T>::Assoc {}`), as syn's private `choose_generics_over_qpath`.
fn choose_generics_over_qpath(input: ParseStream) -> bool {
    input.peek(Token![<])
        && (input.peek2(Token![>])
            || input.peek2(Token![#])
            || (input.peek2(syn::Lifetime) || input.peek2(Ident))
                && (input.peek3(Token![>])
                    || input.peek3(Token![,])
                    || input.peek3(Token![:]) && !input.peek3(Token![::])
                    || input.peek3(Token![=]))
            || input.peek2(Token![const]))
}

/// Whether the brace group at `cursor` begins with `#!`, i.e. inner
/// attributes that belong to the fn and must be parsed.
fn starts_with_inner_attr(cursor: Cursor) -> bool {
    let Some((inside, _, _)) = cursor.group(Delimiter::Brace) else {
        return false;
    };
    match inside.punct() {
        Some((pound, next)) if pound.as_char() == '#' => {
            matches!(next.punct(), Some((bang, _)) if bang.as_char() == '!')
        }
        _ => false,
    }
}

/// Steps over a brace group as an empty body.
fn skip_body(input: ParseStream) -> Result<Block> {
    input.step(|cursor| match cursor.group(Delimiter::Brace) {
        Some((_, span, after)) => Ok((
            Block {
                brace_token: token::Brace { span },
                stmts: Vec::new(),
            },
            after,
        )),
        None => Err(cursor.error("expected curly braces")),
    })
}

/// Consumes whatever is left in a delimited group, unparsed.
fn skip_rest(input: ParseStream) -> Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((_, next)) = rest.token_tree() {
            rest = next;
        }
        Ok(((), rest))
    })
}

/// The tokens from `begin` to `end` (same level), as syn's private
/// `verbatim::between`; stops at the end of the group rather than panicking.
fn between(begin: Cursor, end: Cursor) -> TokenStream {
    let mut cursor = begin;
    let mut tokens = Vec::new();
    while cursor != end {
        let Some((tt, next)) = cursor.token_tree() else {
            break;
        };
        tokens.push(tt);
        cursor = next;
    }
    tokens.into_iter().collect()
}
