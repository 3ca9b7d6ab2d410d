//! Notes REST API: multi-user markdown notes stored in PostgreSQL, served by axum with
//! cookie-less bearer sessions and outgoing webhooks on note creation.

pub mod db;
pub mod routes;
pub mod state;
mod util;

pub use state::{AppState, Config};
pub use util::{load_template as template, render_markdown};
