//! The runtime watchdog of pollguard: a budget for each poll of a future, checked in debug
//! builds, and a stall monitor that reports polls that never return.
//!
//! A future that blocks its thread (a `std::thread::sleep`, a synchronous HTTP call, a
//! `block_on` inside async code, a CPU-heavy loop) keeps every other task on that thread from
//! running. The compiler cannot see it; this crate sees it when the code runs. Wrap a future with
//! [`watch`] (or [`WatchExt::watchdog`], or spawn it with [`spawn`]) and, in debug builds, each of
//! its polls is measured:
//!
//! - a poll that returns after more than its budget is reported right after it returns, on the
//!   thread that polled it, per the [`Policy`]: a panic by default;
//! - a poll that is still running past its budget is reported while it is stuck by the stall
//!   monitor, one background thread started at the first watched poll; on Linux the report names
//!   the file and line of the blocking call, from the stack of the stuck thread.
//!
//! ```
//! use pollguard_runtime::WatchExt;
//! use std::time::Duration;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! async fn handler() -> u32 {
//!     tokio::time::sleep(Duration::from_millis(1)).await; // the async sleep: never reported
//!     42
//! }
//! let answer = handler().watchdog().named("handler").await;
//! assert_eq!(answer, 42);
//! # }
//! ```
//!
//! A blocking call in a watched future fails the poll that made it, in debug builds:
//!
//! ```
//! let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! let blocking = async { std::thread::sleep(std::time::Duration::from_millis(300)) };
//! let result = std::panic::catch_unwind(|| {
//!     rt.block_on(pollguard_runtime::watch(blocking).named("blocking"))
//! });
//! // The panic message: "pollguard: one poll of `blocking` (src/lib.rs:..) ran 300.2 ms, over
//! // its 100 ms budget, on thread `main`: a blocking call ran inside async code; use its async
//! // equivalent or `tokio::task::spawn_blocking`"
//! assert_eq!(result.is_err(), pollguard_runtime::ENABLED);
//! ```
//!
//! # Settings
//!
//! | what | in code | environment | default |
//! |---|---|---|---|
//! | policy | [`set_policy`], [`Watch::policy`] | `POLLGUARD=panic\|warn\|abort\|off` | [`Policy::Panic`] |
//! | budget | [`set_budget`], [`Watch::budget`], [`WatchExt::watchdog_budget`] | `POLLGUARD_BUDGET=50ms` (units `ns`, `us`, `ms`, `s`, fractions allowed) | [`DEFAULT_BUDGET`], 100 ms |
//!
//! A setting on a future wins over one made in code with [`set_policy`] or [`set_budget`], which
//! wins over the environment. The environment is read once, at the first watched poll; a bad
//! value makes every watched poll panic with a message that names the variable and the value
//! (see [`check_env`]), because quietly falling back to another policy would let a CI job that
//! asked for `abort` pass. On CI, `POLLGUARD=abort` makes a stall fail the run even inside a
//! spawned task, where a panic only becomes a `JoinError`.
//!
//! # Cost
//!
//! Builds without debug assertions (release) poll the inner future directly: no clock read, no
//! monitor. The `release-watchdog` cargo feature keeps the watchdog on there, with the
//! [`Policy::Warn`] default. In debug builds a watched poll reads no clock: it stores a pointer
//! and a counter in a per-thread slot, and ends with one compare-and-swap. The stall monitor,
//! one background thread, samples the slots every 5 ms (every quarter of the default budget if
//! that is under 20 ms, down to 1 ms) and flags a poll it has seen running past its budget; the
//! polling thread notices the flag when the poll returns, and only then reads the clock and
//! reports. So a poll is reported once it has run past its budget by up to one sampling
//! interval, and never falsely: polls that overrun by less than that may go unreported. A
//! future's own budget under 20 ms ([`Watch::budget`]) is timed with a clock read at both ends
//! of each poll instead. The figures are in the repository's `BENCHMARKS.md`.
//!
//! On Linux the stall monitor captures a stuck thread's stack by sending
//! it a real-time signal (`SIGRTMIN+6`, installed with `SA_RESTART`) once per stuck poll, unless
//! that signal already has a handler or `POLLGUARD_NO_STACK` is set; blocking calls that are
//! interrupted resume (the standard library retries on `EINTR`).
//!
//! # Whole runtimes
//!
//! [`spawn`] spawns a watched future on Tokio. With `RUSTFLAGS="--cfg tokio_unstable"`,
//! `install_hooks` watches every task of a runtime through Tokio's task-poll hooks.
//!
//! # Features
//!
//! - `tokio` (default): [`spawn`] and the runtime hooks.
//! - `tracing`: the warn policy emits a `tracing` warning when a subscriber is installed.
//! - `release-watchdog`: keep the watchdog on in builds without debug assertions.

#![warn(missing_docs)]

mod config;
mod report;
mod stack;
mod watchdog;

#[cfg(all(feature = "tokio", tokio_unstable))]
mod hooks;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use config::{
    BUDGET_VAR, ConfigError, DEFAULT_BUDGET, POLICY_VAR, Policy, budget, check_env, parse_budget,
    policy, set_budget, set_policy,
};
#[cfg(all(feature = "tokio", tokio_unstable))]
pub use hooks::install_hooks;
pub use report::{Frame, Report};

use watchdog::{Guard, Loc, Meta};

/// Whether this build checks polls: debug assertions on, or the `release-watchdog` feature.
pub const ENABLED: bool = cfg!(any(debug_assertions, feature = "release-watchdog"));

pin_project_lite::pin_project! {
    /// A future whose polls are checked against a budget; made by [`watch`] and
    /// [`WatchExt::watchdog`].
    ///
    /// It outputs what the inner future outputs. Configure it with [`named`](Watch::named),
    /// [`budget`](Watch::budget) and [`policy`](Watch::policy).
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct Watch<F> {
        #[pin]
        inner: F,
        meta: Meta,
    }
}

impl<F> Watch<F> {
    /// Names the future in reports, e.g. after the task or the function it runs.
    pub fn named(mut self, name: &'static str) -> Self {
        self.meta.name = Some(name);
        self
    }

    /// Sets this future's budget for one poll, instead of the configured default. A zero budget
    /// is taken as one nanosecond.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.meta.budget_ns = config::nanos(budget).max(1);
        self
    }

    /// Sets what happens when a poll of this future runs over budget, instead of the configured
    /// policy. Handy in tests, where the process-wide policy is shared by all tests.
    pub fn policy(mut self, policy: Policy) -> Self {
        self.meta.policy = policy.encode();
        self
    }

    /// The wrapped future.
    pub fn into_inner(self) -> F {
        self.inner
    }
}

impl<F: std::fmt::Debug> std::fmt::Debug for Watch<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("inner", &self.inner)
            .field("name", &self.meta.name)
            .finish_non_exhaustive()
    }
}

impl<F: Future> Future for Watch<F> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Transmutes instead of `project()` and `Pin::new_unchecked`, which are generic fns:
        // with one instance each per watched future type, they showed in the compile time of
        // crates with many `#[no_blocking]` fns. Both types are named so that a change to a
        // field's type cannot silently change what is transmuted.
        //
        // SAFETY: `Pin<P>` is `repr(transparent)` over `P`, so `Pin<&mut Self>` and `&mut Self`
        // have the same layout. Unpinning is sound because nothing below moves out of `this`:
        // `meta` is only read, and `inner` is only reached through the pinned reference made
        // next. `Watch` has no `Drop` impl and is `Unpin` only when `F` is (`pin_project!`).
        let this = unsafe { core::mem::transmute::<Pin<&mut Self>, &mut Self>(self) };
        let meta: &Meta = &this.meta;
        // SAFETY: `Pin<&mut F>` is `repr(transparent)` over `&mut F`. `inner` is structurally
        // pinned (as `pin_project!` declares it): `self` was pinned, so `inner` never moves
        // again, and this is the only place that reaches it mutably.
        let inner = unsafe { core::mem::transmute::<&mut F, Pin<&mut F>>(&mut this.inner) };
        if !ENABLED {
            return inner.poll(cx);
        }
        let guard = Guard(watchdog::enter(meta));
        let out = inner.poll(cx);
        watchdog::exit(guard, meta, true);
        out
    }
}

/// Watches `fut`: in debug builds, each of its polls is checked against the budget.
///
/// Reports name the file, line and column of this call.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let n = pollguard_runtime::watch(async { 1 + 1 }).await;
/// assert_eq!(n, 2);
/// # }
/// ```
#[track_caller]
pub fn watch<F: Future>(fut: F) -> Watch<F> {
    Watch {
        inner: fut,
        meta: Meta::caller(),
    }
}

/// Watching as a method on every future.
pub trait WatchExt: Future + Sized {
    /// Watches this future, as [`watch`] does.
    ///
    /// ```
    /// use pollguard_runtime::WatchExt;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let n = async { 7 }.watchdog().named("seven").await;
    /// assert_eq!(n, 7);
    /// # }
    /// ```
    #[track_caller]
    fn watchdog(self) -> Watch<Self> {
        Watch {
            inner: self,
            meta: Meta::caller(),
        }
    }

    /// Watches this future with its own budget for one poll.
    #[track_caller]
    fn watchdog_budget(self, budget: Duration) -> Watch<Self> {
        Watch {
            inner: self,
            meta: Meta::caller(),
        }
        .budget(budget)
    }
}

impl<F: Future> WatchExt for F {}

/// Spawns `fut` on the current Tokio runtime, watched, as `tokio::spawn(watch(fut))` does.
///
/// Reports name the file and line of this call. To name the task, spawn
/// `fut.watchdog().named("..")` with `tokio::spawn`.
///
/// # Panics
///
/// Outside a Tokio runtime, as `tokio::spawn` does.
#[cfg(feature = "tokio")]
#[track_caller]
pub fn spawn<F>(fut: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(watch(fut))
}

/// Not public API: what `#[pollguard::no_blocking]` expands to.
#[doc(hidden)]
pub mod __private {
    /// Where an annotated function is, and its budget; the attribute passes one per function
    /// as `&Site { .. }`, a constant that rustc promotes to a `'static` allocation.
    #[derive(Debug)]
    pub struct Site {
        /// The function's name.
        pub name: &'static str,
        /// `file!()` of the function.
        pub file: &'static str,
        /// `line!()` of the function.
        pub line: u32,
        /// `column!()` of the function.
        pub column: u32,
        /// The budget in nanoseconds; 0 uses the configured default.
        pub budget_ns: u64,
    }

    /// Watches the body of an annotated function.
    pub fn watch_fn<T, F: core::future::Future<Output = T>>(
        fut: F,
        site: &'static Site,
    ) -> crate::Watch<F> {
        crate::Watch {
            inner: fut,
            meta: crate::watchdog::Meta {
                name: Some(site.name),
                loc: crate::Loc::Site(site),
                budget_ns: site.budget_ns,
                policy: crate::Policy::INHERIT,
                task_id: 0,
            },
        }
    }
}

pub(crate) use __private::Site;
