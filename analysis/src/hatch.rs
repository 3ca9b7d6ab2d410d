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
    let segs: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    match segs.as_slice() {
        [name] => name == HATCH_ATTR,
        [krate, name] => krate == "pollguard" && name == HATCH_ATTR,
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
    if Category::from_name(key).is_some() || Rule::find(key).is_some() {
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
/// count, and only outside string literals: a cheap scanner that skips
/// strings, chars and block comments is enough because the marker must start
/// a `//` comment.
pub fn parse_comment_allows(source: &str) -> Vec<CommentAllow> {
    let mut out = Vec::new();
    if !source.contains("pollguard:") {
        return out;
    }
    for (idx, line) in source.lines().enumerate() {
        let Some(pos) = comment_start(line) else {
            continue;
        };
        let comment = line[pos + 2..].trim_start_matches('/').trim();
        let Some(rest) = comment.strip_prefix("pollguard:") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix("allow") else {
            continue;
        };
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
        let mut error = None;
        for k in &keys {
            if k != "*" {
                if let Err(m) = check_key(k) {
                    error = Some(m);
                }
            }
        }
        if reason.is_empty() && error.is_none() {
            error = Some("`pollguard: allow` needs a reason: write `// pollguard: allow(fs) why this call may block here`".to_owned());
        }
        out.push(CommentAllow {
            line: idx + 1,
            column: line[..pos].chars().count() + 1,
            trailing: !line[..pos].trim().is_empty(),
            keys,
            reason,
            error,
        });
    }
    out
}

/// Byte offset of a `//` that starts a comment on this line, skipping string
/// and char literals. Multi-line strings are rare enough around a marker to
/// ignore.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_str {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_str = false;
            }
        } else if b == b'"' {
            in_str = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return Some(i);
        }
        i += 1;
    }
    None
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
