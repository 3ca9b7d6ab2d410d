//! Turning findings into compile errors and warnings.
//!
//! Stable proc macros have one diagnostic tool, `compile_error!`, and no
//! `help:` or `note:` sub-diagnostics; warnings need the deprecated-const
//! trick. Both are spanned on the call: first token to last token.

use pollguard_analysis::{Finding, Level};
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};

/// Collects errors so that all of them reach the user in one compile.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// `Err` with every collected error, if there was one.
    pub(crate) fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }

    pub(crate) fn into_tokens(self) -> TokenStream {
        self.0.map(|e| e.into_compile_error()).unwrap_or_default()
    }
}

/// Two tokens standing for a range of code: `syn::Error::new_spanned` makes
/// rustc underline from the first token to the last, which is the closest
/// stable Rust gets to `Span::join`.
struct SpanRange(Span, Span);

impl ToTokens for SpanRange {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend([
            TokenTree::Ident(Ident::new("pollguard", self.0)),
            TokenTree::Ident(Ident::new("pollguard", self.1)),
        ]);
    }
}

/// The full text of a finding: the message, then the help and any notes on
/// lines of their own: rustc indents them under the message, where they
/// read like its own `help:` lines.
pub(crate) fn text(f: &Finding) -> String {
    let mut s = f.headline();
    s.push_str("\nhelp: ");
    s.push_str(&f.help);
    for note in &f.notes {
        s.push_str("\nnote: ");
        s.push_str(note);
    }
    s
}

/// A finding as a compile error, underlining the whole call.
pub(crate) fn error(f: &Finding) -> syn::Error {
    syn::Error::new_spanned(SpanRange(f.span, f.end_span), text(f))
}

/// Whether a finding is reported as a warning rather than an error.
pub(crate) fn is_warning(f: &Finding, warn_all: bool) -> bool {
    warn_all || f.level == Level::Warn
}

/// A finding as a warning: a deprecated constant, used right away. The use
/// carries the call's span; with any other span rustc takes the lint for one
/// from an external macro and hides it. rustc points a deprecation at the last
/// segment of the path only, so the warning marks the call's first token. A
/// statement, to go in a fn body.
pub(crate) fn warning(f: &Finding) -> TokenStream {
    let note = text(f);
    quote_spanned! {f.span=>
        {
            #[deprecated(note = #note)]
            #[allow(non_upper_case_globals)]
            const blocking_call: () = ();
            let () = blocking_call;
        }
    }
}
