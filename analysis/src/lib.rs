//! The analysis engine of pollguard.
//!
//! It finds known blocking calls (`std::thread::sleep`, `std::fs`, blocking
//! channels, `block_on`, ...) inside async code, from syntax alone: it needs
//! no type checking and never compiles or runs the code it reads. The
//! `#[pollguard::no_blocking]` attribute and `cargo pollguard` both call it, so
//! they always agree.
//!
//! The pieces:
//! - [`catalog`]: every blocking call pollguard knows, as a table of [`Rule`]s;
//! - [`Config`]: levels per category or rule, extra blocking paths, offloaders;
//! - [`analyze_file`] / [`analyze_item`]: the walker, which returns an [`Analysis`];
//! - [`transitive`]: blocking sync fns, followed across a whole workspace (the CLI) or an annotated item (the attribute).
//!
//! ```
//! let file = syn::parse_file(r#"
//!     use std::thread;
//!     async fn handler() {
//!         thread::sleep(std::time::Duration::from_secs(1));
//!         tokio::time::sleep(std::time::Duration::from_secs(1)).await;
//!     }
//! "#).unwrap();
//! let config = pollguard_analysis::Config::new();
//! let analysis = pollguard_analysis::analyze_file(&file, &pollguard_analysis::Options::new(&config));
//! assert_eq!(analysis.findings.len(), 1);
//! assert_eq!(analysis.findings[0].call, "std::thread::sleep");
//! assert_eq!(analysis.findings[0].rule.code, "PG101");
//! ```

#![warn(missing_docs)]

pub mod catalog;
pub mod config;
pub mod facts;
mod hatch;
pub mod io;
pub mod lex;
pub mod model;
pub mod native;
mod resolve;
pub mod transitive;
pub(crate) mod ty;
mod walk;

pub use catalog::{Category, Confidence, Level, RULES, Rule};
pub use config::{Config, ConfigError, ExtraBlocking};
pub use hatch::{
    CommentAllow, HATCH_ATTR, check_hatch, expr_attrs, expr_attrs_mut, is_hatch,
    parse_comment_allows,
};

use proc_macro2::Span;

/// The last segment of a path (`sleep` of `std::thread::sleep`), the
/// whole of a single name.
///
/// Paths here are joined with `::` only, so the last `:` marks the segment:
/// a byte search, where `rsplit("::")` runs a substring searcher that showed
/// in profiles of the closure.
///
/// ```
/// assert_eq!(pollguard_analysis::last_segment("std::thread::sleep"), "sleep");
/// assert_eq!(pollguard_analysis::last_segment("sleep"), "sleep");
/// ```
pub fn last_segment(path: &str) -> &str {
    path.rfind(':').map_or(path, |i| &path[i + 1..])
}

/// A path split before its last segment (`("std::thread", "sleep")`), or
/// `None` for a single name. See [`last_segment`].
pub(crate) fn split_last(path: &str) -> Option<(&str, &str)> {
    let i = path.rfind(':')?;
    Some((path[..i].strip_suffix(':')?, &path[i + 1..]))
}

/// This crate's version: what the CLI's dependency cache keys its results by.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the walker needs besides the code.
#[derive(Clone, Debug)]
pub struct Options<'a> {
    /// Levels, extra blocking paths and offloaders.
    pub config: &'a Config,
    /// The module path of the analysed code, starting with `crate`
    /// (`["crate", "server"]` for `src/server.rs`); used to name the crate's
    /// own fns for transitive analysis.
    pub module_path: Vec<String>,
    /// The module is test code as a whole: declared `#[cfg(test)] mod
    /// tests;` in its parent (or in a test module), which its own file
    /// does not say.
    pub test_module: bool,
}

impl<'a> Options<'a> {
    /// Options for code at the crate root.
    pub fn new(config: &'a Config) -> Options<'a> {
        Options {
            config,
            module_path: vec!["crate".to_owned()],
            test_module: false,
        }
    }
}

/// The module path of a file from its path relative to the crate root's
/// directory (`src/`): `lib.rs` and `main.rs` are `crate`, `a/mod.rs` and
/// `a.rs` are `crate::a`, `a/b.rs` is `crate::a::b`.
///
/// ```
/// use std::path::Path;
/// assert_eq!(pollguard_analysis::module_path_for(Path::new("net/tcp/mod.rs")), ["crate", "net", "tcp"]);
/// assert_eq!(pollguard_analysis::module_path_for(Path::new("main.rs")), ["crate"]);
/// ```
pub fn module_path_for(relative: &std::path::Path) -> Vec<String> {
    let mut path = vec!["crate".to_owned()];
    let comps: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let n = comps.len();
    for (i, c) in comps.into_iter().enumerate() {
        let last = i + 1 == n;
        if last && (c == "mod" || (n == 1 && (c == "lib" || c == "main"))) {
            break;
        }
        path.push(c.replace('-', "_"));
    }
    path
}

/// One blocking call in async context. `P` is how positions are held: the
/// parser's spans, or the line and column a caller turned them into (the CLI
/// does, to move results between threads).
#[derive(Clone, Debug)]
pub struct Finding<P = Span> {
    /// The catalog rule that matched.
    pub rule: &'static Rule,
    /// The resolved callee: a path (`std::thread::sleep`), a typed method
    /// (`std::sync::mpsc::Receiver::recv`) or an untyped one (`.recv()`).
    pub call: String,
    /// The call as the message shows it (`std::thread::sleep`, `rx.recv()`).
    pub display: String,
    /// The first token of the call.
    pub span: P,
    /// The last token of the call.
    pub end_span: P,
    /// How sure the walker is.
    pub confidence: Confidence,
    /// The configured level (never [`Level::Allow`]: allowed findings are dropped).
    pub level: Level,
    /// What to do instead.
    pub help: String,
    /// Extra lines for the reader.
    pub notes: Vec<String>,
    /// For a transitive finding: the calls from the called fn down to the
    /// blocking call, outermost first.
    pub chain: Vec<transitive::ChainStep<P>>,
    /// The finding sits in a closure handed to this fn of the code's own
    /// (`asyncify(move || std::fs::read(p))`), defined where the walk could
    /// not see it: if it is an offloader (see [`Analysis::offloaders`] of the
    /// file that defines it), the finding does not hold.
    pub inside_closure_of: Option<String>,
    /// The async fn whose own body holds the finding (not a closure or an
    /// async block inside it): if only futures on another executor's
    /// thread await that fn (see [`Analysis::foreign_calls`]), it does
    /// not block a Tokio worker.
    pub async_fn: Option<String>,
}

impl<P> Finding<P> {
    /// What is wrong, in one line: "`std::thread::sleep` blocks the executor thread".
    pub fn message(&self) -> String {
        format!("`{}` {}", self.display, self.rule.message_for(&self.call))
    }

    /// The message with the category and code, for outputs that have no
    /// field of their own for them (the attribute's compile errors):
    /// "`std::thread::sleep` blocks the executor thread (pollguard::sleep, PG101)".
    pub fn headline(&self) -> String {
        format!(
            "{} (pollguard::{}, {})",
            self.message(),
            self.rule.category,
            self.rule.code
        )
    }
}

/// A sync fn of the analysed code, summarised for [`transitive`] analysis.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FnSummary<P = Span> {
    /// `crate::config::load_config`, or `crate::config::Loader::load` for a method.
    pub path: String,
    /// The fn's name token.
    pub span: P,
    /// Whether the fn carries `#[pollguard::blocking]`.
    pub marked: bool,
    /// Whether the fn carries the fn-level escape hatch.
    pub allowed: bool,
    /// Blocking calls made directly in its body (not offloaded).
    pub blocking: Vec<BlockingCall<P>>,
    /// Calls of the crate's own fns (resolved paths) made in its body.
    pub calls: Vec<LocalCall<P>>,
    /// The first I/O its body does through a value of generic I/O type
    /// (`r.read(..)` with `R: Read`): what it is and where. Such a fn blocks
    /// when its caller gives it a blocking value (see [`io`]).
    pub generic_io: Option<(String, P)>,
    /// The first name resolution its body does through a parameter generic
    /// over `ToSocketAddrs` (`addr.to_socket_addrs()` with `A:
    /// ToSocketAddrs`): what and where. Such a fn blocks when its caller
    /// gives it a host name (see [`io::Addr`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub generic_addr: Option<(String, P)>,
    /// It takes `self`: called by path (`Type::f(x, ..)`), its first
    /// argument is the receiver.
    #[cfg_attr(feature = "serde", serde(default))]
    pub has_self: bool,
}

/// A blocking call made by a sync fn.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BlockingCall<P = Span> {
    /// The resolved callee.
    pub call: String,
    /// The rule that matched.
    #[cfg_attr(feature = "serde", serde(with = "catalog::by_code"))]
    pub rule: &'static Rule,
    /// Where.
    pub span: P,
    /// The call runs only on some paths through its fn (see
    /// [`LocalCall::conditional`]).
    pub conditional: bool,
    /// A test build of the crate skips the call (see
    /// [`LocalCall::not_in_tests`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub not_in_tests: bool,
    /// The call sits behind an optional setting (see [`LocalCall::opt_in`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub opt_in: bool,
    /// The parameters that gate it (see [`LocalCall::gates`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub gates: u64,
    /// The parameters it runs only without (see [`LocalCall::ungates`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub ungates: u64,
    /// The enum variants it runs only with (see [`LocalCall::arms`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub arms: Vec<(u8, Vec<String>)>,
}

/// A call of a path that may be one of the crate's own fns.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LocalCall<P = Span> {
    /// The resolved path (`crate::config::load_config`, `other_crate::db::query`).
    pub path: String,
    /// How the call was written, for messages.
    pub display: String,
    /// First token of the call.
    pub span: P,
    /// Last token of the call.
    pub end_span: P,
    /// Whether the call's result is awaited (an async fn's future).
    pub awaited: bool,
    /// Escape hatches active at this call (indices into [`Analysis::hatches`]).
    pub hatches: Vec<usize>,
    /// What the I/O values given to the call (receiver or arguments) read
    /// from, when one is: a generic I/O callee blocks for a file or socket.
    pub io: Option<io::IoKind>,
    /// What the addresses given to the call hold: a callee generic over
    /// `ToSocketAddrs` resolves a name unless it is given an address
    /// written out.
    #[cfg_attr(feature = "serde", serde(default))]
    pub addr: io::Addr,
    /// The call runs only on some paths through its fn: in a branch taken on
    /// a bool option (`if self.opts.keylog`), an `Err`/`None` arm, an error or one-time-init closure
    /// (`unwrap_or_else`, `get_or_init`), a `let .. else`, after a fast
    /// path that returned (`if let Ok(v) = fast() { return Ok(v) }`), or
    /// only when an optional environment variable is set (`if let Some(p) =
    /// env::var_os("SSLKEYLOGFILE")`, a call given its value).
    /// Dependencies are followed only along the other calls.
    pub conditional: bool,
    /// A test build of the crate skips the call: it comes after `if
    /// cfg!(test) { return .. }`, or sits in `if !cfg!(test)` or the `else` of
    /// `if cfg!(test)`. The crate's own tests do not reach what it calls.
    #[cfg_attr(feature = "serde", serde(default))]
    pub not_in_tests: bool,
    /// The call is made in the crate's test code (`#[cfg(test)]`, `#[test]`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub in_test: bool,
    /// The call sits behind an optional setting: in `if let Some(p) =
    /// self.config_path`, `if opts.keylog`, or a `Some(..)` arm of a match
    /// on a field. A test builds its own inputs, and such settings are off
    /// unless it turns them on: tests do not reach it (see
    /// [`transitive::findings_with`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub opt_in: bool,
    /// The fn's own parameters (bit `i` for the `i`-th, `self` not
    /// counted) the call runs only with: it sits in `if let Some(t) = p`
    /// or `if p` on a parameter `p`. A caller that passes `None` or `false`
    /// there does not reach it (see [`LocalCall::off_args`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub gates: u64,
    /// The fn's own parameters the call runs only without: it sits in the
    /// `None` arm of a `match` on a parameter, in the `else` of `if let
    /// Some(t) = p` or `if p`, or under `if p.is_none()` or `if !p`. A caller
    /// that passes `Some(..)` or `true` there does not reach it (see
    /// [`LocalCall::on_args`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub ungates: u64,
    /// The fn's own parameters the call runs only for some of their enum
    /// variants: it sits in the arm `Action::Yank | Action::Cut` of a
    /// `match` on parameter `action` (position, variants' names). A caller
    /// that passes another variant there (`&Action::Motion`) does not reach
    /// it (see [`LocalCall::variant_args`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub arms: Vec<(u8, Vec<String>)>,
    /// The arguments the call passes as an enum variant written out
    /// (`Action::Motion`, `&Action::Motion`, `Action::Jump(n)`): position,
    /// and the variant's name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub variant_args: Vec<(u8, String)>,
    /// The arguments the call passes as `None` or `false` (bit `i` for the
    /// `i`-th, a method call's receiver not counted): the callee's calls
    /// gated on those parameters do not run.
    #[cfg_attr(feature = "serde", serde(default))]
    pub off_args: u64,
    /// The arguments the call passes as `Some(..)` or `true`: the callee's
    /// calls made only without those parameters do not run.
    #[cfg_attr(feature = "serde", serde(default))]
    pub on_args: u64,
    /// The fn's own parameters the call hands on as they are: (argument
    /// position, parameter position). What the fn's callers pass there
    /// decides the callee's gates too (`from_str(.., role)` hands `role` to
    /// `resolve_role`, which reads the config only when it is `None`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub passes: Vec<(u8, u8)>,
    /// Written as a path call (`Type::f(a, b)`), whose first argument is
    /// the receiver when the callee takes `self`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub by_path: bool,
    /// Another way the call before it may go, at the same place (a trait's
    /// provided method, then the impl method its body calls on `self`):
    /// reported only when that call is not.
    #[cfg_attr(feature = "serde", serde(default))]
    pub alt: bool,
    /// Made in async code inside a closure handed to this fn of the code's
    /// own, as [`Finding::inside_closure_of`]: what the call reaches does
    /// not hold if that fn turns out to be an offloader.
    #[cfg_attr(feature = "serde", serde(default))]
    pub closure_of: Option<String>,
    /// Made in the body of this async fn (see [`Finding::async_fn`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub async_fn: Option<String>,
}

impl<P: Copy> LocalCall<P> {
    /// A call made on every path, in plain code, of `path` at `at`: no
    /// hatch, no I/O or address handed over, not awaited.
    pub fn plain(path: String, display: String, at: P) -> LocalCall<P> {
        LocalCall {
            path,
            display,
            span: at,
            end_span: at,
            awaited: false,
            hatches: Vec::new(),
            io: None,
            addr: io::Addr::Name,
            conditional: false,
            not_in_tests: false,
            in_test: false,
            opt_in: false,
            gates: 0,
            ungates: 0,
            arms: Vec::new(),
            variant_args: Vec::new(),
            off_args: 0,
            on_args: 0,
            passes: Vec::new(),
            by_path: false,
            alt: false,
            closure_of: None,
            async_fn: None,
        }
    }
}

/// The result of analysing a file or an item.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Blocking calls in async context, in source order.
    pub findings: Vec<Finding>,
    /// Malformed escape hatches and similar problems in the code's own
    /// pollguard annotations.
    pub errors: Vec<syn::Error>,
    /// Sync fns, for [`transitive`] analysis.
    pub fns: Vec<FnSummary>,
    /// Calls made in async context of paths that are not in the catalog.
    pub async_calls: Vec<LocalCall>,
    /// Escape hatches (attributes) that were present, and whether each suppressed something.
    pub hatches: Vec<HatchUse>,
    /// The code's own offloaders: fns that hand a closure parameter to a
    /// known offloader (`fn asyncify<F>(f: F) { spawn_blocking(f) }`),
    /// sorted; those of the whole crate, shared by each of its files.
    pub offloaders: std::sync::Arc<[String]>,
    /// The channel ends the code makes, by the constructors it calls.
    pub constructed: Vec<Construction>,
    /// The fns called inside futures handed to another executor's loop on
    /// its own thread (GLib's main loop: `glib::MainContext::spawn_local`,
    /// `glib::spawn_future_local`), not polled by a Tokio worker.
    pub foreign_calls: Vec<String>,
    /// Calls an async fn's own body awaits: (callee, the async fn). With
    /// [`Analysis::foreign_calls`], which executor polls an async fn.
    pub awaits: Vec<(String, String)>,
}

/// A channel end made by a call of a constructor that returns a tuple
/// (`let (tx, rx) = kanal::unbounded();`). A sender type that the code only
/// ever makes through `unbounded` constructors never waits in that code: the
/// transitive closure does not follow its methods (see
/// [`transitive::findings_with`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Construction {
    /// The type made (`kanal::Sender`).
    pub ty: String,
    /// Made by an `unbounded` constructor, as the channel's sender.
    pub unbounded: bool,
}

/// An escape-hatch attribute and whether it was needed.
#[derive(Clone, Debug)]
pub struct HatchUse {
    /// The attribute's span.
    pub span: Span,
    /// Whether a finding was suppressed by it.
    pub used: bool,
    /// Category or rule names it allows; empty means everything.
    pub keys: Vec<String>,
}

/// Analyses a whole file: every async fn, async block and async closure,
/// with every `use` of the file in scope.
pub fn analyze_file(file: &syn::File, options: &Options<'_>) -> Analysis {
    let items = model::lower_file(file);
    let model = model::CrateModel::build(
        [(options.module_path.as_slice(), &items)],
        &options.config.extra_offloaders,
    );
    analyze_file_in(file, options, &model)
}

/// Analyses a file of a crate whose [`model::CrateModel`] was built from all
/// its files: names, methods and types of the other files resolve.
pub fn analyze_file_in(
    file: &syn::File,
    options: &Options<'_>,
    model: &model::CrateModel,
) -> Analysis {
    walk::Walker::new(options, model).file(file)
}

/// Analyses one item: what `#[pollguard::no_blocking]` sees. `use`
/// declarations outside the item are not visible; on an inline `mod`, the
/// module's own are.
pub fn analyze_item(item: &syn::Item, options: &Options<'_>) -> Analysis {
    let items = model::FileItems {
        root: model::lower_items(std::slice::from_ref(item)),
    };
    let model = model::CrateModel::build(
        [(options.module_path.as_slice(), &items)],
        &options.config.extra_offloaders,
    );
    walk::Walker::new(options, &model).root_item(item)
}
