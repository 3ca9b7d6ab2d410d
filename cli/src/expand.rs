//! `macro_rules!` expanded where a dependency invokes it among an impl's
//! or a trait's items.
//!
//! Sync libraries often write their methods with a macro:
//! trust-dns-resolver's `Resolver::mx_lookup` and its siblings are one
//! `lookup_fn!` each. Unexpanded, those methods do not exist for the
//! model, and a call of them is judged by the catalog alone. Expansion here
//! is textual, as rustc's is: the rules are tried in order, the first whose
//! matcher takes the whole input is transcribed. Hygiene is not modelled,
//! which changes no name an item-producing macro defines.
//!
//! Invocations at module level are left alone: there, macros mostly make
//! trait impls for every primitive type or tuple (serde's, num-traits',
//! combine's) and types (libc's `s!`). Expanding them too cost 0.6 s of CPU
//! on a cold read of 258 packages (+35% wall) and found no labeled call
//! more in the blind sets (redis's macro-made `Commands` would need its
//! `dyn ConnectionLike` followed as well). A matcher is matched greedily and without
//! backtracking into repetitions: a macro that rustc would call locally
//! ambiguous may fail to match, and is then left unexpanded, as before.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{ParseStream, Parser};

/// The most tokens one invocation may expand to: a runaway expansion is
/// left unexpanded rather than grown without bound.
const MAX_TOKENS: usize = 200_000;

/// One `macro_rules!` definition: its rules, in order.
#[derive(Debug)]
pub(crate) struct MacroRules {
    rules: Vec<(Vec<Matcher>, Vec<Transcriber>)>,
}

/// A token compared as rustc compares a matcher's literal tokens.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Lit(String),
}

#[derive(Clone, Copy, Debug)]
enum Fragment {
    Ident,
    Ty,
    Expr,
    Path,
    Tt,
    Literal,
    Lifetime,
    Block,
    Pat,
    PatParam,
    Vis,
    Item,
    Meta,
    Stmt,
}

#[derive(Debug)]
enum Matcher {
    Tok(Tok),
    Group(Delimiter, Vec<Matcher>),
    Var(String, Fragment),
    Repeat(Vec<Matcher>, Option<Tok>, char),
}

#[derive(Debug)]
enum Transcriber {
    Tree(TokenTree),
    Var(String, Span),
    Crate(Span),
    Group(Delimiter, Vec<Transcriber>, Span),
    Repeat(Vec<Transcriber>, Option<TokenTree>),
}

/// What a matcher's variable took: one fragment, or one per repetition.
#[derive(Clone, Debug)]
enum Binding {
    One(TokenStream),
    Many(Vec<Binding>),
}

type Bindings = HashMap<String, Binding>;

fn tok(t: &TokenTree) -> Tok {
    match t {
        TokenTree::Ident(i) => Tok::Ident(i.to_string()),
        TokenTree::Punct(p) => Tok::Punct(p.as_char()),
        TokenTree::Literal(l) => Tok::Lit(l.to_string()),
        TokenTree::Group(_) => Tok::Lit(String::new()),
    }
}

fn fragment(kind: &str) -> Option<Fragment> {
    Some(match kind {
        "ident" => Fragment::Ident,
        "ty" => Fragment::Ty,
        "expr" | "expr_2021" => Fragment::Expr,
        "path" => Fragment::Path,
        "tt" => Fragment::Tt,
        "literal" => Fragment::Literal,
        "lifetime" => Fragment::Lifetime,
        "block" => Fragment::Block,
        "pat" => Fragment::Pat,
        "pat_param" => Fragment::PatParam,
        "vis" => Fragment::Vis,
        "item" => Fragment::Item,
        "meta" => Fragment::Meta,
        "stmt" => Fragment::Stmt,
        _ => return None,
    })
}

fn is_dollar(t: &TokenTree) -> bool {
    matches!(t, TokenTree::Punct(p) if p.as_char() == '$')
}

/// The separator and operator after `$( .. )`, and how many tokens they take.
fn repeat_tail(rest: &[TokenTree]) -> Option<(Option<&TokenTree>, char, usize)> {
    let op = |t: &TokenTree| match t {
        TokenTree::Punct(p) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    let first = rest.first()?;
    if let Some(c) = op(first) {
        return Some((None, c, 1));
    }
    Some((Some(first), op(rest.get(1)?)?, 2))
}

impl MacroRules {
    /// Reads the body of `macro_rules! name { .. }`; `None` for a form this
    /// expander does not take.
    pub(crate) fn parse(body: &TokenStream) -> Option<MacroRules> {
        let toks: Vec<TokenTree> = body.clone().into_iter().collect();
        let mut rules = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let TokenTree::Group(m) = &toks[i] else {
                return None;
            };
            match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
                (
                    Some(TokenTree::Punct(a)),
                    Some(TokenTree::Punct(b)),
                    Some(TokenTree::Group(t)),
                ) if a.as_char() == '=' && b.as_char() == '>' => {
                    rules.push((matcher(m.stream())?, transcriber(t.stream())?));
                }
                _ => return None,
            }
            i += 4;
            if matches!(toks.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                i += 1;
            }
        }
        (!rules.is_empty()).then_some(MacroRules { rules })
    }

    /// The tokens an invocation with `input` expands to, by the first rule
    /// that matches it whole.
    pub(crate) fn expand(&self, input: &TokenStream) -> Option<TokenStream> {
        for (m, t) in &self.rules {
            let mut bound = Bindings::new();
            let matched = (|s: ParseStream<'_>| match_seq(s, m, &mut bound))
                .parse2(input.clone())
                .is_ok();
            if matched {
                let env: HashMap<&str, &Binding> =
                    bound.iter().map(|(k, v)| (k.as_str(), v)).collect();
                let mut out = TokenStream::new();
                let mut budget = MAX_TOKENS;
                transcribe(t, &env, &mut out, &mut budget)?;
                return Some(out);
            }
        }
        None
    }
}

fn matcher(ts: TokenStream) -> Option<Vec<Matcher>> {
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if is_dollar(&toks[i]) {
            match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
                (
                    Some(TokenTree::Ident(name)),
                    Some(TokenTree::Punct(colon)),
                    Some(TokenTree::Ident(kind)),
                ) if colon.as_char() == ':' => {
                    out.push(Matcher::Var(
                        name.unraw().to_string(),
                        fragment(&kind.to_string())?,
                    ));
                    i += 4;
                }
                (Some(TokenTree::Group(g)), _, _) if g.delimiter() == Delimiter::Parenthesis => {
                    let (sep, op, used) = repeat_tail(&toks[i + 2..])?;
                    let inner = matcher(g.stream())?;
                    // Sources are read with their doc comments blanked (see
                    // `source::for_parser`): a rule that wants at least one
                    // attribute before each item (redis's
                    // `$(#[$attr:meta])+ fn ..`) would then match nothing.
                    let op = match inner.first() {
                        Some(Matcher::Tok(Tok::Punct('#'))) if op == '+' => '*',
                        _ => op,
                    };
                    out.push(Matcher::Repeat(inner, sep.map(tok), op));
                    i += 2 + used;
                }
                _ => return None,
            }
            continue;
        }
        out.push(match &toks[i] {
            TokenTree::Group(g) => Matcher::Group(g.delimiter(), matcher(g.stream())?),
            t => Matcher::Tok(tok(t)),
        });
        i += 1;
    }
    Some(out)
}

fn transcriber(ts: TokenStream) -> Option<Vec<Transcriber>> {
    let toks: Vec<TokenTree> = ts.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if is_dollar(&toks[i]) {
            match toks.get(i + 1) {
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    out.push(Transcriber::Crate(name.span()));
                    i += 2;
                    continue;
                }
                Some(TokenTree::Ident(name)) => {
                    out.push(Transcriber::Var(name.unraw().to_string(), name.span()));
                    i += 2;
                    continue;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    if let Some((sep, _, used)) = repeat_tail(&toks[i + 2..]) {
                        out.push(Transcriber::Repeat(transcriber(g.stream())?, sep.cloned()));
                        i += 2 + used;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(match &toks[i] {
            TokenTree::Group(g) => {
                Transcriber::Group(g.delimiter(), transcriber(g.stream())?, g.span())
            }
            t => Transcriber::Tree(t.clone()),
        });
        i += 1;
    }
    Some(out)
}

fn one_token(input: ParseStream<'_>, want: &Tok) -> syn::Result<()> {
    input.step(|c| match c.token_tree() {
        Some((t, next)) if !matches!(t, TokenTree::Group(_)) && tok(&t) == *want => Ok(((), next)),
        _ => Err(c.error("no match")),
    })
}

fn match_seq(input: ParseStream<'_>, ms: &[Matcher], bound: &mut Bindings) -> syn::Result<()> {
    for m in ms {
        match m {
            Matcher::Tok(t) => one_token(input, t)?,
            Matcher::Group(d, inner) => {
                let content = input.step(|c| match c.token_tree() {
                    Some((TokenTree::Group(g), next)) if g.delimiter() == *d => {
                        Ok((g.stream(), next))
                    }
                    _ => Err(c.error("no match")),
                })?;
                (|s: ParseStream<'_>| match_seq(s, inner, bound)).parse2(content)?;
            }
            Matcher::Var(name, kind) => {
                let ts = parse_fragment(input, *kind)?;
                bound.insert(name.clone(), Binding::One(ts));
            }
            Matcher::Repeat(inner, sep, op) => {
                let mut rounds: Vec<Bindings> = Vec::new();
                loop {
                    let fork = input.fork();
                    if !rounds.is_empty() {
                        if let Some(s) = sep {
                            if one_token(&fork, s).is_err() {
                                break;
                            }
                        }
                    }
                    let mut round = Bindings::new();
                    if match_seq(&fork, inner, &mut round).is_err() {
                        break;
                    }
                    // A round that takes nothing would repeat forever.
                    if fork.cursor() == input.cursor() {
                        break;
                    }
                    input.advance_to(&fork);
                    rounds.push(round);
                    if *op == '?' {
                        break;
                    }
                }
                if *op == '+' && rounds.is_empty() {
                    return Err(input.error("no match"));
                }
                let mut names = Vec::new();
                names_in(inner, &mut names);
                for name in names {
                    let each = rounds
                        .iter()
                        .map(|r| r.get(&name).cloned().unwrap_or(Binding::Many(Vec::new())))
                        .collect();
                    bound.insert(name, Binding::Many(each));
                }
            }
        }
    }
    Ok(())
}

fn names_in(ms: &[Matcher], out: &mut Vec<String>) {
    for m in ms {
        match m {
            Matcher::Var(n, _) => out.push(n.clone()),
            Matcher::Group(_, inner) | Matcher::Repeat(inner, _, _) => names_in(inner, out),
            Matcher::Tok(_) => {}
        }
    }
}

/// An expression or a type goes into the transcription as one unit, as
/// rustc's invisible group keeps `$e * 2` from re-associating.
fn invisible(tokens: TokenStream) -> TokenStream {
    TokenTree::Group(Group::new(Delimiter::None, tokens)).into()
}

fn parse_fragment(input: ParseStream<'_>, kind: Fragment) -> syn::Result<TokenStream> {
    use quote::ToTokens;
    Ok(match kind {
        Fragment::Ident => input.call(Ident::parse_any)?.into_token_stream(),
        Fragment::Ty => invisible(input.parse::<syn::Type>()?.into_token_stream()),
        Fragment::Expr => invisible(input.parse::<syn::Expr>()?.into_token_stream()),
        Fragment::Path => input.parse::<syn::Path>()?.into_token_stream(),
        Fragment::Tt => input.parse::<TokenTree>()?.into(),
        Fragment::Literal => {
            let mut ts = TokenStream::new();
            if input.peek(syn::Token![-]) {
                ts.extend(input.parse::<syn::Token![-]>()?.into_token_stream());
            }
            ts.extend(input.parse::<syn::Lit>()?.into_token_stream());
            ts
        }
        Fragment::Lifetime => input.parse::<syn::Lifetime>()?.into_token_stream(),
        Fragment::Block => input.parse::<syn::Block>()?.into_token_stream(),
        Fragment::Pat => syn::Pat::parse_multi_with_leading_vert(input)?.into_token_stream(),
        Fragment::PatParam => syn::Pat::parse_single(input)?.into_token_stream(),
        Fragment::Vis => input.parse::<syn::Visibility>()?.into_token_stream(),
        Fragment::Item => input.parse::<syn::Item>()?.into_token_stream(),
        Fragment::Meta => input.parse::<syn::Meta>()?.into_token_stream(),
        Fragment::Stmt => input.parse::<syn::Stmt>()?.into_token_stream(),
    })
}

fn vars_in<'t>(ts: &'t [Transcriber], out: &mut Vec<&'t str>) {
    for t in ts {
        match t {
            Transcriber::Var(n, _) => out.push(n),
            Transcriber::Group(_, inner, _) | Transcriber::Repeat(inner, _) => vars_in(inner, out),
            Transcriber::Tree(_) | Transcriber::Crate(_) => {}
        }
    }
}

fn transcribe(
    ts: &[Transcriber],
    env: &HashMap<&str, &Binding>,
    out: &mut TokenStream,
    budget: &mut usize,
) -> Option<()> {
    for t in ts {
        *budget = budget.checked_sub(1)?;
        match t {
            Transcriber::Tree(tt) => out.extend([tt.clone()]),
            Transcriber::Crate(span) => out.extend([TokenTree::Ident(Ident::new("crate", *span))]),
            Transcriber::Var(name, span) => match env.get(name.as_str()) {
                Some(Binding::One(s)) => out.extend(s.clone()),
                Some(Binding::Many(_)) => return None,
                // Not one of the matcher's: a `$x` of a macro the
                // expansion defines, kept as written.
                None => {
                    let mut dollar = Punct::new('$', Spacing::Alone);
                    dollar.set_span(*span);
                    out.extend([
                        TokenTree::Punct(dollar),
                        TokenTree::Ident(ident_of(name, *span)),
                    ]);
                }
            },
            Transcriber::Group(d, inner, span) => {
                let mut inside = TokenStream::new();
                transcribe(inner, env, &mut inside, budget)?;
                let mut g = Group::new(*d, inside);
                g.set_span(*span);
                out.extend([TokenTree::Group(g)]);
            }
            Transcriber::Repeat(inner, sep) => {
                let mut vars = Vec::new();
                vars_in(inner, &mut vars);
                let mut rounds = None;
                for v in &vars {
                    if let Some(Binding::Many(each)) = env.get(v) {
                        match rounds {
                            None => rounds = Some(each.len()),
                            Some(n) if n != each.len() => return None,
                            Some(_) => {}
                        }
                    }
                }
                for i in 0..rounds? {
                    if i > 0 {
                        if let Some(s) = sep {
                            out.extend([s.clone()]);
                        }
                    }
                    let mut inner_env = env.clone();
                    for v in &vars {
                        if let Some(Binding::Many(each)) = env.get(v) {
                            inner_env.insert(v, &each[i]);
                        }
                    }
                    transcribe(inner, &inner_env, out, budget)?;
                }
            }
        }
    }
    Some(())
}

/// An identifier of a name that may be a keyword (`$type`), never
/// panicking on one.
fn ident_of(name: &str, span: Span) -> Ident {
    syn::parse_str::<Ident>(name)
        .map(|mut i| {
            i.set_span(span);
            i
        })
        .unwrap_or_else(|_| Ident::new("__pollguard_unnamed", span))
}

/// Parses an expansion as a list of what sits at its position.
pub(crate) fn parse_list<T: syn::parse::Parse>(tokens: TokenStream) -> Option<Vec<T>> {
    (|s: ParseStream<'_>| {
        let mut out = Vec::new();
        while !s.is_empty() {
            out.push(s.parse::<T>()?);
        }
        Ok(out)
    })
    .parse2(tokens)
    .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(src: &str) -> MacroRules {
        let m: syn::ItemMacro = syn::parse_str(src).unwrap();
        MacroRules::parse(&m.mac.tokens).expect("rules parse")
    }

    #[test]
    fn a_method_per_invocation_with_the_first_rule_that_matches() {
        let m = rules(
            r#"macro_rules! lookup_fn {
                ($p:ident, $l:ty) => {
                    pub fn $p<N: IntoName>(&self, query: N) -> ResolveResult<$l> {
                        self.runtime.lock()?.block_on(self.inner.$p(query))
                    }
                };
                ($p:ident, $l:ty, $t:ty) => {
                    pub fn $p(&self, query: $t) -> ResolveResult<$l> {
                        self.runtime.lock()?.block_on(self.inner.$p(query))
                    }
                };
            }"#,
        );
        let two: TokenStream = "mx_lookup, lookup::MxLookup".parse().unwrap();
        let three: TokenStream = "reverse_lookup, lookup::ReverseLookup, IpAddr"
            .parse()
            .unwrap();
        let f: Vec<syn::ImplItem> = parse_list(m.expand(&two).unwrap()).unwrap();
        let syn::ImplItem::Fn(f) = &f[0] else {
            panic!("not a fn")
        };
        assert_eq!(f.sig.ident, "mx_lookup");
        assert_eq!(f.sig.generics.params.len(), 1);
        let g: Vec<syn::ImplItem> = parse_list(m.expand(&three).unwrap()).unwrap();
        let syn::ImplItem::Fn(g) = &g[0] else {
            panic!("not a fn")
        };
        assert_eq!(g.sig.ident, "reverse_lookup");
        assert!(g.sig.generics.params.is_empty());
        // No rule takes four arguments.
        assert!(m.expand(&"a, b, c, d".parse().unwrap()).is_none());
    }

    #[test]
    fn repetitions_with_separators_nest_and_keep_their_order() {
        let m = rules(
            r#"macro_rules! commands {
                ($( $(#[$attr:meta])* fn $name:ident($($arg:ident: $ty:ty),*) $body:block )*) => {
                    pub trait Commands {
                        $( $(#[$attr])* fn $name(&mut self, $($arg: $ty),*) $body )*
                    }
                };
            }"#,
        );
        let input: TokenStream = r#"
            #[doc = "get"] fn get(key: &str) { cmd("GET").arg(key).query(self) }
            fn set(key: &str, value: u8) { cmd("SET").arg(key).arg(value).query(self) }
        "#
        .parse()
        .unwrap();
        let items: Vec<syn::Item> = parse_list(m.expand(&input).unwrap()).unwrap();
        let syn::Item::Trait(t) = &items[0] else {
            panic!("not a trait")
        };
        let names: Vec<String> = t
            .items
            .iter()
            .filter_map(|i| match i {
                syn::TraitItem::Fn(f) => Some(format!("{}/{}", f.sig.ident, f.sig.inputs.len())),
                _ => None,
            })
            .collect();
        assert_eq!(names, ["get/2", "set/3"]);
    }

    /// Doc comments are blanked before parsing: a rule that wants one
    /// attribute or more before each item takes items without.
    #[test]
    fn attributes_a_rule_requires_may_be_missing() {
        let m = rules(
            "macro_rules! m { ($($(#[$a:meta])+ fn $n:ident;)*) => { $( $(#[$a])* fn $n() {} )* }; }",
        );
        let items: Vec<syn::Item> =
            parse_list(m.expand(&"fn a; #[inline] fn b;".parse().unwrap()).unwrap()).unwrap();
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn forms_it_does_not_take_are_refused_not_guessed() {
        let bad: syn::ItemMacro = syn::parse_str("macro_rules! m { ($x:unknown) => {}; }").unwrap();
        assert!(MacroRules::parse(&bad.mac.tokens).is_none());
        let m = rules("macro_rules! m { ($($x:ident)+) => { $( fn $x() {} )* }; }");
        assert!(m.expand(&TokenStream::new()).is_none());
        // A repetition whose variables repeat unevenly is not transcribed.
        let uneven = rules(
            "macro_rules! m { ($($a:ident)* ; $($b:ident)*) => { $( fn $a() -> $b {} )* }; }",
        );
        assert!(uneven.expand(&"x y ; z".parse().unwrap()).is_none());
    }
}
