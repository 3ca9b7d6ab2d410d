//! Calls inside macro invocations: `println!`, `format!`, `vec!`, `assert!`,
//! `tokio::join!`, `tokio::select!` and any macro whose arguments parse as
//! comma-separated expressions. A macro whose tokens do not parse is skipped,
//! never an error.

use super::{Usage, Walker};
use crate::catalog::{self, Confidence};
use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, Pat, Token};

/// Macros whose arguments are futures that the macro awaits.
const AWAITING: &[&str] = &["join", "try_join"];

/// Macros whose tokens are not code, or are code for another context.
const OPAQUE: &[&str] = &[
    "macro_rules",
    "quote",
    "quote_spanned",
    "parse_quote",
    "concat",
    "stringify",
    "include_str",
];

fn walk_macro(w: &mut Walker<'_>, mac: &syn::Macro, usage: Usage) {
    let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
        return;
    };
    if OPAQUE.contains(&name.as_str()) {
        return;
    }
    // `async_stream::stream! { .. }` and `try_stream!` build a stream whose
    // body runs when it is polled: on the executor, as an async block's does.
    if matches!(name.as_str(), "stream" | "try_stream") {
        if let Ok(stmts) = syn::Block::parse_within.parse2(mac.tokens.clone()) {
            w.async_stmts(&stmts);
            return;
        }
    }
    if name == "select" && crossbeam_select(w, mac) {
        return;
    }
    if matches!(name.as_str(), "write" | "writeln") {
        blocking_write(w, mac);
    }
    if name == "select" {
        if let Ok(branches) = parse_select.parse2(mac.tokens.clone()) {
            for b in branches {
                w.expr(&b.future, Usage::Awaited);
                if let Some(g) = &b.guard {
                    w.expr(g, Usage::Other);
                }
                if let Some(p) = &b.pat {
                    w.bind_pat(p, None);
                }
                w.expr(&b.handler, usage);
            }
        }
        return;
    }
    // Most macros (`println!("{}", x.id)`, `assert_eq!(a, b)`) hold no
    // call, block, closure or hatch: nothing in them can matter, and their
    // parse was an eighth of the walk on tokio.
    if !may_matter(&mac.tokens) {
        return;
    }
    let arg_usage = if AWAITING.contains(&name.as_str()) {
        Usage::Awaited
    } else if name == "pin" {
        Usage::Stored
    } else {
        Usage::Other
    };
    if let Ok(args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone()) {
        for arg in &args {
            match arg {
                // `name = value` in format macros.
                Expr::Assign(a) => w.expr(&a.right, arg_usage),
                Expr::Lit(_) => {}
                other => w.expr(other, arg_usage),
            }
        }
        return;
    }
    // `vec![elem; n]`
    if let Some(done) = try_repeat(w, mac) {
        return done;
    }
    // Structured logging (`tracing::info!(size = ?expr, "msg")`): read each
    // comma-separated piece on its own, skipping `name =` and `?`/`%` sigils.
    for piece in split_top_level(mac.tokens.clone()) {
        if let Ok(e) = syn::parse2::<Expr>(piece) {
            if !matches!(e, Expr::Lit(_)) {
                w.expr(&e, arg_usage);
            }
        }
    }
}

/// Whether the tokens may hold something the walker reacts to: a call
/// (a parenthesized group after a name, `>`, or a group), a block or braces,
/// a closure (`|`), a macro or a negation (`!`), `async`/`await`, or an
/// attribute (`#`, a hatch). Over-approximates; never misses one.
fn may_matter(tokens: &TokenStream) -> bool {
    let mut callee = false;
    for tt in tokens.clone() {
        match &tt {
            TokenTree::Group(g) => {
                use proc_macro2::Delimiter::{Brace, Parenthesis};
                if g.delimiter() == Brace
                    || (callee && g.delimiter() == Parenthesis)
                    || may_matter(&g.stream())
                {
                    return true;
                }
                callee = true;
            }
            TokenTree::Ident(i) => {
                if i == "async" || i == "await" {
                    return true;
                }
                callee = true;
            }
            TokenTree::Punct(p) => {
                if matches!(p.as_char(), '|' | '!' | '#') {
                    return true;
                }
                callee = p.as_char() == '>';
            }
            TokenTree::Literal(_) => callee = false,
        }
    }
    false
}

fn try_repeat(w: &mut Walker<'_>, mac: &syn::Macro) -> Option<()> {
    let repeat = |input: ParseStream<'_>| -> syn::Result<(Expr, Expr)> {
        let e: Expr = input.parse()?;
        input.parse::<Token![;]>()?;
        let n: Expr = input.parse()?;
        Ok((e, n))
    };
    let (e, n) = repeat.parse2(mac.tokens.clone()).ok()?;
    w.expr(&e, Usage::Stored);
    w.expr(&n, Usage::Other);
    Some(())
}

/// Splits macro tokens at top-level commas and drops a leading `a.b =` field
/// name and `?`/`%` sigil from each piece.
fn split_top_level(tokens: TokenStream) -> Vec<TokenStream> {
    let mut pieces = vec![Vec::new()];
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => pieces.push(Vec::new()),
            _ => pieces.last_mut().expect("never empty").push(tt),
        }
    }
    pieces
        .into_iter()
        .map(|piece| {
            let eq = piece.iter().position(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == Spacing::Alone));
            let head_is_name = eq.is_some_and(|i| {
                piece[..i].iter().all(|t| matches!(t, TokenTree::Ident(_)) || matches!(t, TokenTree::Punct(p) if p.as_char() == '.'))
            });
            let mut rest: &[TokenTree] = if head_is_name { &piece[eq.unwrap_or(0) + 1..] } else { &piece };
            if let Some(TokenTree::Punct(p)) = rest.first() {
                if matches!(p.as_char(), '?' | '%') {
                    rest = &rest[1..];
                }
            }
            rest.iter().cloned().collect()
        })
        .collect()
}

struct SelectBranch {
    pat: Option<Pat>,
    future: Expr,
    guard: Option<Expr>,
    handler: Expr,
}

/// `biased;`? then `pat = future (, if guard)? => handler,` ... and `else => handler`.
fn parse_select(input: ParseStream<'_>) -> syn::Result<Vec<SelectBranch>> {
    let mut out = Vec::new();
    if input.peek(syn::Ident) && input.peek2(Token![;]) {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    while !input.is_empty() {
        if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
            input.parse::<Token![=>]>()?;
            let handler = parse_handler(input)?;
            out.push(SelectBranch {
                pat: None,
                future: Expr::Verbatim(Default::default()),
                guard: None,
                handler,
            });
            continue;
        }
        let pat = Pat::parse_multi_with_leading_vert(input)?;
        input.parse::<Token![=]>()?;
        let future = Expr::parse_without_eager_brace(input)?;
        let guard = if input.peek(Token![,]) && input.peek2(Token![if]) {
            input.parse::<Token![,]>()?;
            input.parse::<Token![if]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        input.parse::<Token![=>]>()?;
        let handler = parse_handler(input)?;
        out.push(SelectBranch {
            pat: Some(pat),
            future,
            guard,
            handler,
        });
    }
    Ok(out)
}

fn parse_handler(input: ParseStream<'_>) -> syn::Result<Expr> {
    let handler: Expr = if input.peek(syn::token::Brace) {
        Expr::Block(input.parse()?)
    } else {
        input.parse()?
    };
    if input.peek(Token![,]) {
        input.parse::<Token![,]>()?;
    }
    Ok(handler)
}

/// `crossbeam_channel::select! { recv(rx) -> msg => .., }` blocks until an
/// operation is ready, unless it has a `default` arm. Its arms are not
/// expressions, so it is matched by its shape.
fn crossbeam_select(w: &mut Walker<'_>, mac: &syn::Macro) -> bool {
    let tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
    let is_op = |t: &TokenTree| matches!(t, TokenTree::Ident(i) if i == "recv" || i == "send");
    if !tokens.first().is_some_and(is_op) {
        return false;
    }
    let has_default = tokens
        .iter()
        .any(|t| matches!(t, TokenTree::Ident(i) if i == "default"));
    if !has_default {
        let (start, end) = whole_macro(mac);
        w.emit(
            &catalog::CHANNEL_RECV,
            "crossbeam_channel::select",
            "crossbeam_channel::select!",
            start,
            end,
            Confidence::Likely,
            None,
        );
    }
    true
}

/// `write!(file, ..)` / `writeln!(file, ..)` on a std file or socket: the
/// macro calls `write_fmt` on it.
fn blocking_write(w: &mut Walker<'_>, mac: &syn::Macro) {
    let Ok(args) = Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
    else {
        return;
    };
    let Some(target) = args.first() else { return };
    let ty = w.infer(target).filter(|t| t.is_plain());
    let rule = match ty.as_ref().map(|t| t.path.as_str()) {
        Some("std::fs::File") => &catalog::FS_OPEN,
        Some("std::net::TcpStream") => &catalog::NET_IO,
        _ => return,
    };
    let name = mac
        .path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    let (start, end) = whole_macro(mac);
    w.emit(
        rule,
        "write_fmt",
        &format!("{name}!(..)"),
        start,
        end,
        Confidence::Certain,
        None,
    );
}

/// The first and last tokens of a macro call: its path to its closing delimiter.
fn whole_macro(mac: &syn::Macro) -> (Span, Span) {
    let start = mac
        .path
        .segments
        .first()
        .map_or_else(Span::call_site, |s| s.ident.span());
    (start, mac.delimiter.span().close())
}

impl Walker<'_> {
    pub(super) fn mac(&mut self, mac: &syn::Macro, usage: Usage) {
        walk_macro(self, mac, usage);
    }
}

#[cfg(test)]
mod tests {
    use super::may_matter;

    fn tokens(s: &str) -> proc_macro2::TokenStream {
        s.parse().unwrap()
    }

    #[test]
    fn only_tokens_without_calls_are_skipped() {
        for quiet in [
            r#""{} {}", x.id, self.name"#,
            "a, b",
            r#"size = ?len, "read {} bytes", n"#,
            "[a, b][0], (x, y).0",
            "a < b, c > d",
        ] {
            assert!(!may_matter(&tokens(quiet)), "{quiet}");
        }
        for busy in [
            r#""{}", f(x)"#,
            r#""{}", x.len()"#,
            "Vec::<u8>::new()",
            "[g(1)]",
            "|x| x",
            "inner!(x)",
            "!ok",
            "Foo { a }",
            "x.await",
            "#[pollguard::allow_blocking(\"r\")] x",
            "(f)(x)",
        ] {
            assert!(may_matter(&tokens(busy)), "{busy}");
        }
    }
}
