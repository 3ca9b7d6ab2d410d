//! The arguments of `#[no_blocking(..)]`, turned into the engine's [`Config`]
//! and the watchdog settings.
//!
//! Every bad argument is reported, not only the first: a user fixing a typo
//! should not have to recompile once per typo.

use crate::diag::Errors;
use pollguard_analysis::{Config, ExtraBlocking, Level};
use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitBool, LitStr, Token};

const EXPECTED: &str = "expected `warn`, `allow(..)`, `deny(..)`, `blocking(\"path\")`, \
                        `offload(\"path\")`, `budget = \"20ms\"`, `watchdog = false` or `crate = path`";

/// What the attribute was asked to do.
#[derive(Debug)]
pub(crate) struct Args {
    /// Levels, allowed callees, extra blocking paths and offloaders.
    pub(crate) config: Config,
    /// `warn`: every finding is a warning, whatever its level.
    pub(crate) warn_all: bool,
    /// Whether async fn bodies are wrapped in the runtime watchdog.
    pub(crate) watchdog: bool,
    /// The watchdog budget in nanoseconds; 0 means the runtime's default.
    pub(crate) budget_ns: u64,
    /// `crate = pg`: the path of the `pollguard` crate, for a user who renamed
    /// the dependency or reaches it through a re-export; `None` for
    /// `::pollguard`.
    pub(crate) krate: Option<TokenStream>,
}

impl Args {
    /// The path that generated code names the facade by.
    pub(crate) fn krate(&self) -> TokenStream {
        match &self.krate {
            Some(path) => path.clone(),
            None => quote::quote!(::pollguard),
        }
    }
}

/// One element of `allow(..)` / `deny(..)` / `warn(..)`: a category or rule
/// name, or (only in `allow`) a callee path.
enum Key {
    Ident(Ident),
    Str(LitStr),
    /// A path written without quotes, which must be a string.
    Path(syn::Path),
}

impl syn::parse::Parse for Key {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return input.parse().map(Key::Str);
        }
        if input.peek(Token![::]) || input.peek2(Token![::]) {
            return input.call(syn::Path::parse_mod_style).map(Key::Path);
        }
        input.call(syn::ext::IdentExt::parse_any).map(Key::Ident)
    }
}

fn unquoted(path: &syn::Path) -> String {
    quote::ToTokens::to_token_stream(path)
        .to_string()
        .replace(' ', "")
}

/// Parses the attribute's arguments; all problems come back together.
pub(crate) fn parse(args: TokenStream) -> Result<Args, syn::Error> {
    let mut out = Args {
        config: Config::new(),
        warn_all: false,
        watchdog: true,
        budget_ns: 0,
        krate: None,
    };
    let mut errors = Errors::default();
    let parser = |input: ParseStream<'_>| {
        while !input.is_empty() {
            let name: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            if input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in input);
                let keys = Punctuated::<Key, Token![,]>::parse_terminated(&content)?;
                list_arg(&mut out, &mut errors, &name, keys);
            } else if input.peek(Token![=]) && name == "crate" {
                input.parse::<Token![=]>()?;
                crate_arg(&mut out, &mut errors, input)?;
            } else if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                let value: syn::Lit = input.parse()?;
                value_arg(&mut out, &mut errors, &name, &value);
            } else if name == "warn" {
                out.warn_all = true;
            } else {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("unknown argument `{name}`: {EXPECTED}"),
                ));
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    };
    if let Err(e) = parser.parse2(args) {
        errors.push(e);
    }
    errors.finish()?;
    Ok(out)
}

fn list_arg(out: &mut Args, errors: &mut Errors, name: &Ident, keys: Punctuated<Key, Token![,]>) {
    let level = match name.to_string().as_str() {
        "allow" => Level::Allow,
        "deny" => Level::Deny,
        "warn" => Level::Warn,
        "blocking" | "offload" => {
            for key in keys {
                let Some(path) = path_arg(errors, name, &key) else {
                    continue;
                };
                if name == "blocking" {
                    out.config
                        .extra_blocking
                        .push(ExtraBlocking { path, help: None });
                } else {
                    out.config.extra_offloaders.push(path);
                }
            }
            return;
        }
        _ => {
            errors.push(syn::Error::new(
                name.span(),
                format!("unknown argument `{name}(..)`: {EXPECTED}"),
            ));
            return;
        }
    };
    if keys.is_empty() {
        errors.push(syn::Error::new(
            name.span(),
            format!("`{name}()` is empty: name categories or rules, like `{name}(fs, lock)`"),
        ));
    }
    for key in keys {
        let (text, span) = match &key {
            Key::Ident(i) => (i.to_string(), i.span()),
            Key::Str(s) => (s.value(), s.span()),
            Key::Path(p) => {
                let text = unquoted(p);
                let fix = if level == Level::Allow {
                    format!("to allow calls of `{text}`, write `\"{text}\"`")
                } else {
                    format!("to report calls of `{text}`, write `blocking(\"{text}\")`")
                };
                errors.push(syn::Error::new_spanned(
                    p,
                    format!("`{name}` takes categories, rules and quoted paths: {fix}"),
                ));
                continue;
            }
        };
        // A string with `::` is a callee path; only `allow` takes those.
        if matches!(key, Key::Str(_)) && text.contains("::") {
            if level == Level::Allow {
                out.config.allowed_calls.push(text);
            } else {
                errors.push(syn::Error::new(
                    span,
                    format!(
                        "`{name}` takes categories or rules, not paths: \
                         to report calls of `{text}`, write `blocking(\"{text}\")`"
                    ),
                ));
            }
            continue;
        }
        if let Err(e) = out.config.set_level(&text, level) {
            errors.push(syn::Error::new(span, e.0));
        }
    }
}

fn path_arg(errors: &mut Errors, name: &Ident, key: &Key) -> Option<String> {
    let err = |span: Span, what: String| {
        syn::Error::new(
            span,
            format!(
                "`{name}` takes fn paths as strings, like `{name}(\"my_crate::db::query\")`: {what}"
            ),
        )
    };
    match key {
        Key::Ident(i) => {
            errors.push(err(i.span(), format!("write `\"{i}\"`")));
            None
        }
        Key::Path(p) => {
            errors.push(syn::Error::new_spanned(
                p,
                format!(
                    "`{name}` takes fn paths as strings: write `\"{}\"`",
                    unquoted(p)
                ),
            ));
            None
        }
        Key::Str(s) => {
            let path = s.value();
            if syn::parse_str::<syn::Path>(&path).is_ok() {
                Some(path)
            } else {
                errors.push(err(s.span(), format!("`{path}` is not a path")));
                None
            }
        }
    }
}

/// `crate = pg`, `crate = ::pg`, `crate = my::reexport` or, as serde and
/// tokio spell it, `crate = "pg"`.
fn crate_arg(out: &mut Args, errors: &mut Errors, input: ParseStream<'_>) -> syn::Result<()> {
    let path = if input.peek(LitStr) {
        let s: LitStr = input.parse()?;
        match s.parse_with(syn::Path::parse_mod_style) {
            Ok(path) => path,
            Err(_) => {
                errors.push(syn::Error::new(
                    s.span(),
                    format!(
                        "`crate` takes the path of the `pollguard` crate, like `crate = pg`: `{}` is not a path",
                        s.value()
                    ),
                ));
                return Ok(());
            }
        }
    } else if input.peek(Token![::]) || input.peek(syn::Ident::peek_any) {
        input.call(syn::Path::parse_mod_style)?
    } else {
        return Err(input.error(
            "`crate` takes the path of the `pollguard` crate as your Cargo.toml names it, like `crate = pg`",
        ));
    };
    out.krate = Some(quote::ToTokens::to_token_stream(&path));
    Ok(())
}

fn value_arg(out: &mut Args, errors: &mut Errors, name: &Ident, value: &syn::Lit) {
    match (name.to_string().as_str(), value) {
        ("watchdog", syn::Lit::Bool(LitBool { value, .. })) => out.watchdog = *value,
        ("watchdog", other) => errors.push(syn::Error::new(
            other.span(),
            "`watchdog` takes `true` or `false`, like `watchdog = false`",
        )),
        ("budget", syn::Lit::Str(s)) => match parse_budget(&s.value()) {
            Ok(ns) => out.budget_ns = ns,
            Err(why) => errors.push(syn::Error::new(
                s.span(),
                format!("invalid budget `{}`: {why}", s.value()),
            )),
        },
        ("budget", other) => errors.push(syn::Error::new(
            other.span(),
            "`budget` takes a duration as a string, like `budget = \"20ms\"`",
        )),
        _ => errors.push(syn::Error::new(
            name.span(),
            format!("unknown argument `{name} = ..`: {EXPECTED}"),
        )),
    }
}

/// Parses `20ms`, `1.5s`, `500us`, `250000ns` into nanoseconds, in the
/// format the runtime's `POLLGUARD_BUDGET` takes, so one budget reads the
/// same everywhere.
pub(crate) fn parse_budget(text: &str) -> Result<u64, &'static str> {
    const FORMAT: &str = "write a number and a unit, like `20ms`, `500us` or `1.5s`";
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit_ns: u64 = match unit.trim() {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        _ => return Err(FORMAT),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && frac.is_empty()) || frac.contains('.') {
        return Err(FORMAT);
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| "it is too large")?
    };
    let mut ns = whole.checked_mul(unit_ns).ok_or("it is too large")?;
    let mut scale = unit_ns;
    for d in frac.bytes() {
        scale /= 10;
        ns = ns
            .checked_add(u64::from(d - b'0') * scale)
            .ok_or("it is too large")?;
    }
    if ns == 0 {
        return Err(
            "a budget must be more than zero; to turn the watchdog off, write `watchdog = false`",
        );
    }
    Ok(ns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn budgets() {
        assert_eq!(parse_budget("20ms"), Ok(20_000_000));
        assert_eq!(parse_budget("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_budget("500us"), Ok(500_000));
        assert_eq!(parse_budget("7ns"), Ok(7));
        assert!(parse_budget("20").is_err());
        assert!(parse_budget("20 minutes").is_err());
        assert!(parse_budget("0ms").is_err());
        assert!(parse_budget("1.2.3s").is_err());
        assert!(parse_budget("99999999999999999999s").is_err());
    }

    #[test]
    fn good_arguments() {
        let args = parse(quote!(
            warn,
            allow(fs, "crate::db::query"),
            deny(lock),
            blocking("legacy::fetch"),
            budget = "20ms",
            watchdog = false
        ))
        .unwrap();
        assert!(args.warn_all);
        assert!(!args.watchdog);
        assert_eq!(args.budget_ns, 20_000_000);
        assert_eq!(args.config.allowed_calls, ["crate::db::query"]);
        assert_eq!(args.config.extra_blocking[0].path, "legacy::fetch");
        assert_eq!(
            args.config.level(&pollguard_analysis::catalog::SYNC_LOCK),
            Level::Deny
        );
        assert_eq!(args.krate().to_string(), ":: pollguard");
    }

    #[test]
    fn crate_paths() {
        for (arg, path) in [
            (quote!(crate = pg), "pg"),
            (quote!(crate = ::pg), ":: pg"),
            (quote!(crate = my::reexport), "my :: reexport"),
            (quote!(crate = "pg"), "pg"),
            (
                quote!(warn, crate = "::my::pg", watchdog = false),
                ":: my :: pg",
            ),
        ] {
            assert_eq!(parse(arg).unwrap().krate().to_string(), path);
        }
        for bad in [quote!(crate = "not a path"), quote!(crate = 3)] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("`crate` takes the path"), "{err}");
        }
    }

    #[test]
    fn every_bad_argument_is_reported() {
        let err = parse(quote!(alow(fs), deny(lok), budget = "20", watchdog = 3)).unwrap_err();
        let all: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(all.len(), 4, "{all:?}");
        assert!(all[0].starts_with("unknown argument `alow(..)`"));
        assert!(all[1].contains("did you mean `lock`"));
        assert!(all[2].starts_with("invalid budget `20`"));
        assert!(all[3].contains("`watchdog` takes `true` or `false`"));
    }
}
