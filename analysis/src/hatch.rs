//! Escape hatches: `#[pollguard::allow_blocking(..)]` attributes and
//! `// pollguard: allow(..) reason` comments. Both demand a reason, so that a
//! reviewer sees why a call may block.

use crate::catalog::{Category, Rule};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, LitStr, Token};

/// The escape hatch attribute's name: `#[pollguard::allow_blocking("reason")]`
/// on a statement, an expression or an item; `#[pollguard::allow_blocking(fs, "reason")]`
/// to allow only some categories or rules.
pub const HATCH_ATTR: &str = "allow_blocking";

/// What an escape hatch allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Allow {
    /// Category or rule names; empty means everything.
    pub(crate) keys: Vec<String>,
}

impl Allow {
    pub(crate) fn covers(&self, rule: &Rule) -> bool {
        self.keys.is_empty()
            || self.keys.iter().any(|k| {
                k == "*"
                    || k == rule.category.name()
                    || k == rule.name
                    || k.eq_ignore_ascii_case(rule.code)
            })
    }
}

struct HatchArgs {
    keys: Vec<Ident>,
    reason: Option<LitStr>,
}

impl Parse for HatchArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut keys = Vec::new();
        let mut reason = None;
        while !input.is_empty() {
            if input.peek(LitStr) {
                reason = Some(input.parse()?);
            } else if input.peek(Ident) && input.peek2(Token![=]) {
                let name: Ident = input.parse()?;
                if name != "reason" {
                    return Err(syn::Error::new(
                        name.span(),
                        format!(
                            "unknown argument `{name}`: expected a category, a rule or `reason = \"..\"`"
                        ),
                    ));
                }
                input.parse::<Token![=]>()?;
                reason = Some(input.parse()?);
            } else {
                keys.push(input.call(syn::ext::IdentExt::parse_any)?);
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(HatchArgs { keys, reason })
    }
}

/// Whether `attr` is pollguard's escape hatch (`allow_blocking` or
/// `pollguard::allow_blocking`).
pub fn is_hatch(attr: &Attribute) -> bool {
    // Asked of every attribute, doc comments included: compared in place,
    // not stringified.
    let mut segs = attr.path().segments.iter().map(|s| &s.ident);
    match (segs.next(), segs.next(), segs.next()) {
        (Some(name), None, None) => name == HATCH_ATTR,
        (Some(krate), Some(name), None) => krate == "pollguard" && name == HATCH_ATTR,
        _ => false,
    }
}

/// Parses an escape hatch; a missing reason or an unknown key is an error.
pub(crate) fn parse_hatch(attr: &Attribute) -> syn::Result<Allow> {
    let missing = || {
        syn::Error::new_spanned(
            attr,
            "`allow_blocking` needs a reason: write `#[pollguard::allow_blocking(\"why this call may block here\")]`",
        )
    };
    let args: HatchArgs = match &attr.meta {
        syn::Meta::List(list) => list.parse_args()?,
        _ => return Err(missing()),
    };
    match &args.reason {
        Some(r) if !r.value().trim().is_empty() => {}
        _ => return Err(missing()),
    }
    let mut keys = Vec::new();
    for k in &args.keys {
        let key = k.to_string();
        check_key(&key).map_err(|m| syn::Error::new(k.span(), m))?;
        keys.push(key);
    }
    Ok(Allow { keys })
}

/// Checks an escape hatch as [`analyze_item`](crate::analyze_item) would: a
/// missing reason or an unknown category is an error. Returns the category
/// or rule names it allows (empty: everything).
pub fn check_hatch(attr: &Attribute) -> syn::Result<Vec<String>> {
    parse_hatch(attr).map(|a| a.keys)
}

fn check_key(key: &str) -> Result<(), String> {
    if Category::from_name(key).is_some() || Rule::find_blocking(key).is_some() {
        Ok(())
    } else {
        Err(crate::config::unknown_key_message(key))
    }
}

/// A `// pollguard: allow(..) reason` comment found in source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentAllow {
    /// 1-based line of the comment.
    pub line: usize,
    /// 1-based column of the comment's `//`.
    pub column: usize,
    /// Whether code precedes the comment on its line: then it covers that
    /// line only; otherwise it covers the next line of code.
    pub trailing: bool,
    /// Category or rule names; empty means everything.
    pub keys: Vec<String>,
    /// The reason; an empty reason is an error the caller reports.
    pub reason: String,
    /// A problem with the comment (missing reason, unknown key).
    pub error: Option<String>,
}

impl CommentAllow {
    /// Whether the comment allows `rule`.
    pub fn covers(&self, rule: &Rule) -> bool {
        self.error.is_none()
            && Allow {
                keys: self.keys.clone(),
            }
            .covers(rule)
    }
}

/// Finds `// pollguard: allow(..) reason` comments. Only line comments
/// count, found by a small lexer that steps over string, raw string, byte
/// string and char literals and block comments, across lines: a marker
/// inside a multi-line string is text, not a suppression.
pub fn parse_comment_allows(source: &str) -> Vec<CommentAllow> {
    let mut out = Vec::new();
    if !source.contains("pollguard:") {
        return out;
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for start in line_comments(source) {
        let line_idx = line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = line_starts[line_idx];
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |n| start + n);
        let before = &source[line_start..start];
        let text = &source[start + 2..line_end];
        if let Some(allow) = parse_marker(text, line_idx + 1, before) {
            out.push(allow);
        }
    }
    out
}

/// Parses the text of one line comment (after `//`), if it is a marker.
fn parse_marker(text: &str, line: usize, before: &str) -> Option<CommentAllow> {
    let comment = text.trim_start_matches('/').trim();
    let rest = comment.strip_prefix("pollguard:")?.trim_start();
    let rest = rest.strip_prefix("allow")?;
    let (keys, reason) = match rest.strip_prefix('(') {
        Some(inner) => match inner.split_once(')') {
            Some((list, reason)) => (
                list.split(',')
                    .map(|k| k.trim().to_owned())
                    .filter(|k| !k.is_empty())
                    .collect(),
                reason.trim().to_owned(),
            ),
            None => (Vec::new(), String::new()),
        },
        None => (Vec::new(), rest.trim().to_owned()),
    };
    let mut error = keys
        .iter()
        .filter(|k| *k != "*")
        .find_map(|k: &String| check_key(k).err());
    if reason.is_empty() && error.is_none() {
        error = Some(
            "`pollguard: allow` needs a reason: write `// pollguard: allow(fs) why this call may block here`"
                .to_owned(),
        );
    }
    Some(CommentAllow {
        line,
        column: before.chars().count() + 1,
        trailing: !before.trim().is_empty(),
        keys,
        reason,
        error,
    })
}

/// Byte offsets of every `//` that starts a line comment (see [`crate::lex`]).
fn line_comments(src: &str) -> Vec<usize> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match crate::lex::piece_at(b, i) {
            Some((piece, end)) => {
                if piece == crate::lex::Piece::LineComment {
                    out.push(i);
                }
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// Applies `$body` to the attributes of whichever expression `$e` is, or
/// yields `$none` for the kinds that have none: the one list of expression
/// kinds that carry attributes, so the walker (which reads hatches) and the
/// attribute's stripper (which removes them) cannot disagree.
macro_rules! with_expr_attrs {
    ($e:expr, $x:ident => $body:expr, $none:expr) => {
        match $e {
            Expr::Array($x) => $body,
            Expr::Assign($x) => $body,
            Expr::Async($x) => $body,
            Expr::Await($x) => $body,
            Expr::Binary($x) => $body,
            Expr::Block($x) => $body,
            Expr::Break($x) => $body,
            Expr::Call($x) => $body,
            Expr::Cast($x) => $body,
            Expr::Closure($x) => $body,
            Expr::Const($x) => $body,
            Expr::Continue($x) => $body,
            Expr::Field($x) => $body,
            Expr::ForLoop($x) => $body,
            Expr::Group($x) => $body,
            Expr::If($x) => $body,
            Expr::Index($x) => $body,
            Expr::Infer($x) => $body,
            Expr::Let($x) => $body,
            Expr::Lit($x) => $body,
            Expr::Loop($x) => $body,
            Expr::Macro($x) => $body,
            Expr::Match($x) => $body,
            Expr::MethodCall($x) => $body,
            Expr::Paren($x) => $body,
            Expr::Path($x) => $body,
            Expr::Range($x) => $body,
            Expr::RawAddr($x) => $body,
            Expr::Reference($x) => $body,
            Expr::Repeat($x) => $body,
            Expr::Return($x) => $body,
            Expr::Struct($x) => $body,
            Expr::Try($x) => $body,
            Expr::TryBlock($x) => $body,
            Expr::Tuple($x) => $body,
            Expr::Unary($x) => $body,
            Expr::Unsafe($x) => $body,
            Expr::While($x) => $body,
            Expr::Yield($x) => $body,
            _ => $none,
        }
    };
}

/// The attributes an expression carries (where hatches on expressions are).
pub fn expr_attrs(e: &syn::Expr) -> &[syn::Attribute] {
    use syn::Expr;
    with_expr_attrs!(e, x => &x.attrs, &[])
}

/// The attributes of an expression, to edit (the attribute strips hatches).
pub fn expr_attrs_mut(e: &mut syn::Expr) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Expr;
    with_expr_attrs!(e, x => Some(&mut x.attrs), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_forms() {
        let src = "let a = 1; // pollguard: allow(fs, sleep) config is read once\n\
                   // pollguard: allow startup only\n\
                   // pollguard: allow(fs)\n\
                   // pollguard: allow(fss) typo\n\
                   let s = \"// pollguard: allow(fs) not a comment\";\n";
        let found = parse_comment_allows(src);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].keys, vec!["fs", "sleep"]);
        assert!(found[0].trailing);
        assert_eq!(found[0].reason, "config is read once");
        assert_eq!(found[1].keys, Vec::<String>::new());
        assert!(!found[1].trailing);
        assert!(
            found[2]
                .error
                .as_deref()
                .unwrap()
                .contains("needs a reason")
        );
        assert!(found[3].error.as_deref().unwrap().contains("`fss`"));
    }

    #[test]
    fn markers_inside_literals_and_block_comments_are_text() {
        let src = concat!(
            "let s = \"first line\n",
            "// pollguard: allow(fss) inside a multi-line string\";\n",
            "let r = r#\"\n// pollguard: allow(fss) inside a raw string\"#;\n",
            "/* // pollguard: allow(fss) in a block comment */\n",
            "let c = '\"'; let l: &'static str = \"x\"; // pollguard: allow(fs) after a char and a lifetime\n",
        );
        let found = parse_comment_allows(src);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].line, found[0].keys.clone()),
            (6, vec!["fs".to_owned()])
        );
        assert!(found[0].trailing);
        assert!(found[0].error.is_none());
    }

    #[test]
    fn attribute_forms() {
        let ok: Attribute = syn::parse_quote!(#[pollguard::allow_blocking(fs, "startup")]);
        assert!(is_hatch(&ok));
        assert_eq!(parse_hatch(&ok).unwrap().keys, vec!["fs"]);
        let named: Attribute = syn::parse_quote!(#[allow_blocking(reason = "startup")]);
        assert!(parse_hatch(&named).unwrap().keys.is_empty());
        let bare: Attribute = syn::parse_quote!(#[pollguard::allow_blocking]);
        assert!(
            parse_hatch(&bare)
                .unwrap_err()
                .to_string()
                .contains("needs a reason")
        );
        let typo: Attribute = syn::parse_quote!(#[allow_blocking(sleeps, "x")]);
        assert!(
            parse_hatch(&typo)
                .unwrap_err()
                .to_string()
                .contains("did you mean `sleep`")
        );
        assert_eq!(check_hatch(&ok).unwrap(), vec!["fs"]);
        assert!(check_hatch(&bare).is_err());
        let other: Attribute = syn::parse_quote!(#[other::allow_blocking("x")]);
        assert!(!is_hatch(&other));
    }
}
