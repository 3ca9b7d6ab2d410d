//! The attribute macros of [pollguard](https://docs.rs/pollguard): use them
//! through the `pollguard` crate (`#[pollguard::no_blocking]`), which also
//! provides the runtime watchdog that the expansion calls.
//!
//! The analysis itself lives in `pollguard-analysis`, shared with
//! `cargo pollguard` so that the attribute and the CLI never disagree; this
//! crate only parses arguments, reports findings and rewrites the item.
//!
//! The examples below are checked by the UI tests of the `pollguard` crate
//! (`tests/ui`), where the facade and Tokio are available.

#![warn(missing_docs)]

mod args;
mod diag;
mod expand;
mod facts;
mod rename;
mod strip;
mod watchdog;

#[cfg(test)]
mod robustness;

use proc_macro::TokenStream;

/// Reports blocking calls in async code as compile errors, at the call.
///
/// Put it on an `async fn` (free or method), a fn that returns
/// `impl Future`, an `impl` or trait `impl` block, a trait with default
/// async fns, or an inline `mod` (which also makes the module's `use`
/// declarations visible to the check):
///
/// ```ignore
/// #[pollguard::no_blocking]
/// async fn handler() {
///     std::thread::sleep(std::time::Duration::from_secs(1));
///     // error: `std::thread::sleep` blocks the executor thread (pollguard::sleep, PG101)
///     //        help: use `tokio::time::sleep(..).await`, or move it into `tokio::task::spawn_blocking`
/// }
/// ```
///
/// Every blocking call of the item is reported in the same compile. Calls in
/// closures handed to `tokio::task::spawn_blocking`, `std::thread::spawn` and
/// the other offloaders are fine.
///
/// # Arguments
///
/// - `warn`: report warnings instead of errors (`warn(fs)`: only for some
///   categories or rules). They are `deprecated` warnings at the call, so
///   `-D warnings` (or `#![deny(deprecated)]`) turns them into errors in CI,
///   and `#[allow(deprecated)]` hides them.
/// - `allow(fs, PG113, "crate::cache::load")`: categories, rules (by code, or
///   by name as a string: `"fs-open"`), and callee paths not to report.
/// - `deny(lock)`: report a category that is allowed by default.
/// - `blocking("my_app::db::query")`: your own blocking fns; see also
///   [`macro@blocking`].
/// - `offload("my_app::pool::run")`: fns whose closure arguments run off the
///   executor, like `tokio::task::spawn_blocking`.
/// - `budget = "20ms"`: the runtime watchdog's budget for each poll of this
///   fn (default: the runtime's, 100 ms unless configured).
/// - `watchdog = false`: no runtime watchdog, only the compile-time check.
/// - `crate = pg`: the path of the `pollguard` crate, when your Cargo.toml
///   renames it (`pg = { package = "pollguard", .. }`) or you reach it through
///   a re-export; the generated code names `::pollguard` otherwise. Write
///   the hatches as `#[pg::allow_blocking(..)]` then, and declared blocking
///   fns as `#[pg::blocking]`.
///
/// # Runtime watchdog
///
/// In debug builds (`cfg(debug_assertions)`) each async fn body is wrapped in
/// the watchdog, named after the fn: a poll that runs over budget, such as a
/// blocking call hidden in a sync helper the check cannot see, fails loudly.
/// A test annotated with `#[tokio::test]` fails when its body blocks. Release
/// builds get the plain body. A fn carrying `#[pollguard::allow_blocking]` is
/// not wrapped.
///
/// # With other attributes
///
/// `#[tokio::main]`, `#[tokio::test]` and `#[async_trait]` work on either
/// side of `#[no_blocking]`.
///
/// # Escape hatches
///
/// `#[pollguard::allow_blocking("reason")]` on a statement or expression
/// inside the item allows that call; on a fn it allows the whole fn.
#[proc_macro_attribute]
pub fn no_blocking(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::no_blocking(args.into(), item.into()).into()
}

/// Marks a sync fn of yours as blocking: calls of it in async code checked by
/// [`macro@no_blocking`] in the same `mod` or `impl` are reported like
/// `std::thread::sleep`. Expands to the fn itself.
///
/// ```ignore
/// #[pollguard::no_blocking]
/// mod db {
///     #[pollguard::blocking]
///     pub fn query(sql: &str) -> usize { sql.len() }
///
///     pub async fn count() -> usize {
///         tokio::task::spawn_blocking(|| query("select 1")).await.unwrap()
///     }
/// }
/// ```
#[proc_macro_attribute]
pub fn blocking(args: TokenStream, item: TokenStream) -> TokenStream {
    match expand::blocking(args.into(), item.clone().into()) {
        Ok(()) => item,
        Err(out) => out.into(),
    }
}

/// An escape hatch: allows blocking calls, with a mandatory reason.
///
/// On a fn (or `impl`, `mod`), inside or outside an item checked by
/// [`macro@no_blocking`], it allows every blocking call in it, or only some
/// categories or rules: `#[pollguard::allow_blocking(fs, "reads a tiny config
/// once, at startup")]`. `cargo pollguard` honours it too.
///
/// On a statement or an expression it only works inside an item checked by
/// [`macro@no_blocking`], which removes it (stable Rust refuses custom
/// attributes there). For code that only `cargo pollguard` checks, write a
/// comment instead: `// pollguard: allow(fs) reason`.
#[proc_macro_attribute]
pub fn allow_blocking(args: TokenStream, item: TokenStream) -> TokenStream {
    match expand::allow_blocking(args.into(), item.clone().into()) {
        Ok(()) => item,
        Err(out) => out.into(),
    }
}
