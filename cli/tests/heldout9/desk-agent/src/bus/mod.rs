//! D-Bus integration: desktop notifications and logind power management.

mod notify;
mod power;

pub use notify::*;
pub use power::PowerManager;
