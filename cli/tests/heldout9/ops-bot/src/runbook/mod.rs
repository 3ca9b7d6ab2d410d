//! Runbooks: templated shell scripts, executed directly or through an interactive pty.

mod repl;
mod shell;
mod templates;

pub use repl::ReplDriver;
pub use shell::{capture, capture_async, Captured};
pub use templates::Renderer;
