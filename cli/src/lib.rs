//! `cargo pollguard`: the CI lint that finds blocking calls in async code
//! across a whole Cargo workspace.
//!
//! The binary is a thin shell around this library, which the integration
//! tests, the registry test and the fuzz target call directly. The pieces:
//! - [`cli`]: the command line;
//! - [`discover`]: which files to read, and the crate and module of each;
//!   [`metadata`] runs `cargo metadata` and explains its failures;
//! - [`deps`]: the dependency graph, and reading dependencies' source (and
//!   `--write-facts`, what it found, for the attribute);
//! - [`settings`]: `[workspace.metadata.pollguard]` / `[package.metadata.pollguard]`;
//! - [`source`]: reading a file safely (binary, invalid UTF-8, deep nesting);
//! - [`scan`]: parallel parse and analysis, the transitive closure, suppressions;
//! - [`diag`]: the diagnostics every output format prints;
//! - [`adopt`]: what the CLI adds to the engine's findings: [`context`]
//!   (where a finding runs), [`baseline`] (its identity, and the findings a
//!   codebase already had), [`summary`] (groups and the summary table) and
//!   [`fix`] (machine-applicable async replacements);
//! - [`output`]: human, JSON Lines, SARIF, GitHub annotations and cargo JSON.
//!
//! Project code is only read and parsed, never compiled or executed: no
//! build script, no proc macro, no `cargo build`.

#![warn(missing_docs)]

pub mod adopt;
pub mod baseline;
pub mod cli;
pub mod context;
pub mod deps;
mod depscan;
mod depview;
pub mod diag;
pub mod discover;
mod expand;
mod facts;
pub mod fix;
pub mod metadata;
pub mod output;
pub mod scan;
pub mod settings;
pub mod source;
pub mod summary;
pub mod timing;
mod transitive;

pub use cli::run;
