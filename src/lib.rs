//! pollguard: keep blocking calls out of async code.
//!
//! (crate docs are written at the end; see README.md)

#[doc(inline)]
pub use pollguard_macros::*;

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
