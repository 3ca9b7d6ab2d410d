//! The runtime watchdog of pollguard.

#[doc(hidden)]
pub mod __private {}
