//! Local storage: the LevelDB document store and the mmap'd blob arena.

pub mod blobs;
pub mod kv;

pub use blobs::BlobArena;
pub use kv::DocStore;
