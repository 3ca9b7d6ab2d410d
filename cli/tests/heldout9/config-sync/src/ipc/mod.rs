//! Local IPC: a unix socket for client libraries and an ipc-channel to the sandboxed renderer.

pub mod child;
pub mod local;

pub use child::{RenderJob, RendererLink};
pub use local::{socket_name, ClientListener};
