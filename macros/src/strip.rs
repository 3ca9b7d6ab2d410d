//! Removing escape hatches from the output.
//!
//! `#[pollguard::allow_blocking(..)]` on a statement or an expression is only
//! meaningful to the analysis: left in the output, rustc refuses custom
//! attributes on statements and calls attributes on expressions unstable. On
//! items inside the annotated item it has done its job too, so it goes as well
//! (one less macro expansion).

use pollguard_analysis::{expr_attrs_mut, is_hatch};
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Item};

/// Removes every escape hatch in `item`, its own attributes included.
pub(crate) fn hatches(item: &mut Item) {
    Stripper.visit_item_mut(item);
}

/// Removes every escape hatch in a fn body, before the watchdog hides it in
/// tokens that [`hatches`] cannot look into.
pub(crate) fn block(block: &mut syn::Block) {
    Stripper.visit_block_mut(block);
}

struct Stripper;

fn strip(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| !is_hatch(a));
}

impl VisitMut for Stripper {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Some(attrs) = expr_attrs_mut(e) {
            strip(attrs);
        }
        visit_mut::visit_expr_mut(self, e);
    }

    fn visit_local_mut(&mut self, l: &mut syn::Local) {
        strip(&mut l.attrs);
        visit_mut::visit_local_mut(self, l);
    }

    fn visit_stmt_macro_mut(&mut self, m: &mut syn::StmtMacro) {
        strip(&mut m.attrs);
        visit_mut::visit_stmt_macro_mut(self, m);
    }

    fn visit_arm_mut(&mut self, a: &mut syn::Arm) {
        strip(&mut a.attrs);
        visit_mut::visit_arm_mut(self, a);
    }

    fn visit_item_mut(&mut self, i: &mut Item) {
        if let Some(attrs) = item_attrs_mut(i) {
            strip(attrs);
        }
        visit_mut::visit_item_mut(self, i);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        strip(&mut f.attrs);
        visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_trait_item_fn_mut(&mut self, f: &mut syn::TraitItemFn) {
        strip(&mut f.attrs);
        visit_mut::visit_trait_item_fn_mut(self, f);
    }
}

fn item_attrs_mut(i: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match i {
        Item::Fn(x) => &mut x.attrs,
        Item::Impl(x) => &mut x.attrs,
        Item::Mod(x) => &mut x.attrs,
        Item::Trait(x) => &mut x.attrs,
        Item::Const(x) => &mut x.attrs,
        Item::Static(x) => &mut x.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    #[test]
    fn hatches_go_everything_else_stays() {
        let mut item: syn::Item = syn::parse_quote! {
            #[pollguard::allow_blocking("outer")]
            #[inline]
            async fn a() {
                #[pollguard::allow_blocking("stmt")]
                std::thread::sleep(d);
                #[allow_blocking(fs, "let")]
                let s = #[allow_blocking("expr")] std::fs::read("x");
                #[allow(unused)]
                let t = 1;
            }
        };
        super::hatches(&mut item);
        let text = item.to_token_stream().to_string();
        assert!(!text.contains("allow_blocking"), "{text}");
        assert!(text.contains("# [inline]") && text.contains("# [allow (unused)]"));
    }
}
