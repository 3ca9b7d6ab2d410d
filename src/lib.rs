//! pollguard keeps blocking calls out of async code, three ways, on stable Rust.
//!
//! A blocking call inside a task (`std::thread::sleep`, `std::fs`, a blocking
//! channel `recv`, `block_on`, ...) holds the worker thread that polls it: every
//! task queued behind it waits, and on Tokio's multi-thread runtime a task
//! spawned into the blocked worker's LIFO slot cannot be stolen, so a busy
//! server quietly degrades to one thread. pollguard points at the line.
//!
//! 1. [`no_blocking`]: an attribute on async fns, impls and modules that turns
//!    every known blocking call in async context into a compile error at that
//!    call, with the async replacement.
//! 2. `cargo pollguard` (package `cargo-pollguard`): the same analysis over a
//!    whole workspace for CI, with human, JSON, SARIF, GitHub and cargo-JSON
//!    output. It never builds or runs the code it reads.
//! 3. The runtime watchdog ([`watch`], [`WatchExt`], [`spawn`]): in debug
//!    builds, a poll that runs over its budget is reported (a panic by
//!    default) with the task's name and location; a poll that never returns
//!    is reported while it is stuck. Release builds pay nothing.
//!
//! # The attribute
//!
//! ```compile_fail
//! #[pollguard::no_blocking]
//! async fn handler() {
//!     // error: `std::thread::sleep` blocks the executor thread (pollguard::sleep, PG101)
//!     std::thread::sleep(std::time::Duration::from_millis(10));
//! }
//! ```
//!
//! The async equivalent compiles, and in debug builds runs under the watchdog:
//!
//! ```
//! #[pollguard::no_blocking]
//! async fn handler() -> u32 {
//!     tokio::time::sleep(std::time::Duration::from_millis(1)).await;
//!     42
//! }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! assert_eq!(handler().await, 42);
//! # }
//! ```
//!
//! Work that must block goes to `tokio::task::spawn_blocking`, whose closure
//! is sync context; a call that may block for a reason says so with
//! `#[pollguard::allow_blocking("reason")]`:
//!
//! ```
//! #[pollguard::no_blocking]
//! async fn load(path: std::path::PathBuf) -> std::io::Result<String> {
//!     #[pollguard::allow_blocking(fs, "read once at startup, before the server accepts")]
//!     let motd = std::fs::read_to_string("/dev/null")?;
//!     let body = tokio::task::spawn_blocking(move || std::fs::read_to_string(path)).await??;
//!     Ok(motd + &body)
//! }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! # assert!(load("/dev/null".into()).await.unwrap().is_empty());
//! # }
//! ```
//!
//! # The watchdog
//!
//! ```
//! use pollguard::WatchExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let n = async { 7 }.watchdog().named("quick").await;
//! assert_eq!(n, 7);
//! # }
//! ```
//!
//! Its settings: [`set_policy`] and [`set_budget`] in code, `POLLGUARD`
//! (`panic|warn|abort|off`) and `POLLGUARD_BUDGET` (`50ms`, `2s`) in the
//! environment.

#![warn(missing_docs)]

#[doc(inline)]
pub use pollguard_macros::*;

#[cfg(all(feature = "tokio", tokio_unstable))]
#[doc(inline)]
pub use pollguard_runtime::install_hooks;
#[cfg(feature = "tokio")]
#[doc(inline)]
pub use pollguard_runtime::spawn;
#[doc(inline)]
pub use pollguard_runtime::{
    ConfigError, DEFAULT_BUDGET, Frame, Policy, Report, Watch, WatchExt, budget, check_env,
    parse_budget, policy, set_budget, set_policy, watch,
};

#[doc(hidden)]
pub mod __private {
    pub use pollguard_runtime::__private::*;
}
