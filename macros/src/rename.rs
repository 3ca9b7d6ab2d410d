//! `crate = pg`: the attributes of a user who renamed the dependency.
//!
//! The analysis, shared with `cargo pollguard`, knows `pollguard::allow_blocking`
//! and `pollguard::blocking` (and their bare forms); under a renamed dependency
//! the user writes `pg::allow_blocking`. Before the analysis, those become
//! `pollguard::..`; after it, a `pollguard::blocking` left in the item goes back
//! to the user's path, the one that resolves. Hatches never reach the output.

use crate::args::Args;
use pollguard_analysis::HATCH_ATTR;
use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Ident, Item, Meta, Path};

/// The attributes the analysis reads by their path.
const NAMES: [&str; 2] = [HATCH_ATTR, "blocking"];

/// The user's path of the facade, when it is not `pollguard`.
pub(crate) struct Renamed(Path);

impl Renamed {
    pub(crate) fn new(args: &Args) -> Option<Renamed> {
        let tokens = args.krate.clone()?;
        let path = syn::parse::Parser::parse2(Path::parse_mod_style, tokens).ok()?;
        let is_pollguard = path.segments.len() == 1 && path.segments[0].ident == "pollguard";
        (!is_pollguard).then_some(Renamed(path))
    }

    /// `pg::allow_blocking` and `pg::blocking` become `pollguard::..`, which the analysis knows.
    pub(crate) fn for_analysis(&self, item: &mut Item) {
        let to = Path::from(Ident::new("pollguard", Span::call_site()));
        Rewrite {
            from: &self.0,
            to: &to,
        }
        .visit_item_mut(item);
    }

    /// `pollguard::blocking` goes back to `pg::blocking`, which resolves.
    pub(crate) fn for_output(&self, item: &mut Item) {
        let from = Path::from(Ident::new("pollguard", Span::call_site()));
        Rewrite {
            from: &from,
            to: &self.0,
        }
        .visit_item_mut(item);
    }
}

struct Rewrite<'a> {
    from: &'a Path,
    to: &'a Path,
}

impl VisitMut for Rewrite<'_> {
    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        let path = attr.path();
        let n = path.segments.len();
        let prefix = self.from.segments.len();
        let Some(last) = path.segments.last() else {
            return;
        };
        let matches = n == prefix + 1
            && NAMES.iter().any(|name| last.ident == name)
            && path
                .segments
                .iter()
                .zip(&self.from.segments)
                .all(|(a, b)| a.ident == b.ident);
        if matches {
            let mut to = self.to.clone();
            to.segments.push(last.clone());
            *path_mut(&mut attr.meta) = to;
        }
        visit_mut::visit_attribute_mut(self, attr);
    }
}

fn path_mut(meta: &mut Meta) -> &mut Path {
    match meta {
        Meta::Path(p) => p,
        Meta::List(l) => &mut l.path,
        Meta::NameValue(nv) => &mut nv.path,
    }
}

#[cfg(test)]
mod tests {
    use super::Renamed;
    use quote::{ToTokens, quote};

    #[test]
    fn the_users_name_in_and_out() {
        let args = crate::args::parse(quote!(crate = pg)).unwrap();
        let renamed = Renamed::new(&args).unwrap();
        let mut item: syn::Item = syn::parse_quote! {
            mod m {
                #[pg::blocking]
                fn query() {}
                async fn f() {
                    #[pg::allow_blocking("why")]
                    query();
                    #[other::allow_blocking("not ours")]
                    query();
                }
            }
        };
        renamed.for_analysis(&mut item);
        let text = item.to_token_stream().to_string();
        assert!(text.contains("# [pollguard :: blocking]"), "{text}");
        assert!(
            text.contains("# [pollguard :: allow_blocking (\"why\")]"),
            "{text}"
        );
        assert!(text.contains("# [other :: allow_blocking"), "{text}");
        renamed.for_output(&mut item);
        let text = item.to_token_stream().to_string();
        assert!(text.contains("# [pg :: blocking]"), "{text}");
    }

    #[test]
    fn pollguard_by_its_own_name_is_not_a_rename() {
        for arg in [quote!(crate = pollguard), quote!(watchdog = false)] {
            let args = crate::args::parse(arg).unwrap();
            assert!(Renamed::new(&args).is_none());
        }
    }
}
