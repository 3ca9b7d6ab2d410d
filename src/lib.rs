//! pollguard: keep blocking calls out of async code.
//!
//! (crate docs are written at the end; see README.md)

#[doc(inline)]
pub use pollguard_macros::*;

#[doc(hidden)]
pub mod __private {
    pub use pollguard_runtime::__private::*;
}
