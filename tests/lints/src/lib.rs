//! Every shape `#[pollguard::no_blocking]` accepts, in a crate that denies the
//! strictest lints a user may turn on: the expansion must not raise a lint the
//! user cannot fix, since the code it names is not theirs. The test is
//! `cargo clippy --workspace --all-targets -- -D warnings` (`.ci/run`), as in
//! tokio's `tests-build/tests/macros_clippy.rs`.
//!
//! A lint that fires here comes from the expansion: fix it in `macros/`,
//! never with an `allow` in this crate.

#![deny(
    clippy::all,
    clippy::pedantic,
    unused_qualifications,
    missing_docs,
    unreachable_pub,
    unsafe_code,
    rust_2018_idioms,
    unused_results,
    missing_debug_implementations,
    single_use_lifetimes,
    trivial_casts
)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// A free async fn.
#[pollguard::no_blocking]
pub async fn free(n: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    n + 1
}

/// A free async fn with no return type.
#[pollguard::no_blocking]
pub async fn unit() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// A free async fn that returns early and uses `?`.
///
/// # Errors
///
/// When the file cannot be read.
#[pollguard::no_blocking]
pub async fn read(path: &str) -> std::io::Result<usize> {
    if path.is_empty() {
        return Ok(0);
    }
    let bytes = tokio::fs::read(path).await?;
    Ok(bytes.len())
}

/// A generic async fn with a where clause and a borrowed return.
#[pollguard::no_blocking]
pub async fn longest<T>(items: &[T]) -> Option<&T>
where
    T: Ord + Sync,
{
    tokio::task::yield_now().await;
    items.iter().max()
}

/// An async fn whose return type cannot be named in its body.
#[pollguard::no_blocking]
pub async fn numbers() -> impl Iterator<Item = u32> {
    tokio::task::yield_now().await;
    0..3
}

/// A fn that returns `impl Future`, ending with an async block.
#[pollguard::no_blocking]
pub fn later(n: u32) -> impl Future<Output = u32> {
    async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        n * 2
    }
}

/// Every argument the attribute takes.
#[pollguard::no_blocking(
    allow(fs, "std::thread::sleep"),
    deny(lock),
    blocking("crate::db::query"),
    offload("crate::db::run"),
    budget = "20ms"
)]
pub async fn configured() -> usize {
    std::fs::read("Cargo.toml").map_or(0, |b| b.len())
}

/// No watchdog: the compile-time check only.
#[pollguard::no_blocking(watchdog = false)]
pub async fn unwatched() -> u8 {
    tokio::task::yield_now().await;
    7
}

/// Warn mode, with nothing to warn about.
#[pollguard::no_blocking(warn)]
pub async fn warn_clean() -> u8 {
    tokio::task::yield_now().await;
    8
}

/// Warn mode with a blocking call the user has decided to keep, and says so
/// with `allow(deprecated)`: what is left must lint clean.
#[pollguard::no_blocking(warn)]
#[allow(deprecated)]
pub async fn warn_allowed() {
    std::thread::sleep(Duration::from_millis(1));
}

/// Escape hatches on a statement, a `let`, an expression and a block.
#[pollguard::no_blocking]
pub async fn hatches() -> usize {
    #[pollguard::allow_blocking("the config is read once, before serving")]
    let config = std::fs::read_to_string("Cargo.toml").unwrap_or_default();
    #[pollguard::allow_blocking(sleep, "a fixture waits for the clock to tick")]
    std::thread::sleep(Duration::from_millis(1));
    let n = #[pollguard::allow_blocking(fs, "a tiny file")]
    std::fs::read("Cargo.toml").map_or(0, |b| b.len());
    #[pollguard::allow_blocking(fs, "startup only")]
    {
        let _ = std::fs::metadata("Cargo.toml");
    }
    config.len() + n
}

/// An escape hatch on a whole fn, below the attribute.
#[pollguard::no_blocking]
#[pollguard::allow_blocking("a one-shot entry point, nothing else runs")]
pub async fn hatch_below() {
    std::thread::sleep(Duration::from_millis(1));
    tokio::task::yield_now().await;
}

/// An escape hatch on a whole fn, above the attribute.
#[pollguard::allow_blocking("a one-shot entry point, nothing else runs")]
#[pollguard::no_blocking]
pub async fn hatch_above() {
    std::thread::sleep(Duration::from_millis(1));
    tokio::task::yield_now().await;
}

/// A type with async methods.
#[derive(Debug, Default)]
pub struct Client {
    hits: u32,
}

/// Methods: by reference, by mutable reference, by value, by `Arc`, sync.
#[pollguard::no_blocking]
impl Client {
    /// By reference.
    pub async fn hits(&self) -> u32 {
        tokio::task::yield_now().await;
        self.hits
    }

    /// By mutable reference.
    pub async fn hit(&mut self) {
        tokio::task::yield_now().await;
        self.hits += 1;
    }

    /// By value.
    pub async fn into_hits(self) -> u32 {
        self.hits
    }

    /// By `Arc`.
    pub async fn shared(self: Arc<Self>) -> u32 {
        tokio::task::yield_now().await;
        self.hits
    }

    /// A sync method, left alone.
    #[must_use]
    pub fn sync_hits(&self) -> u32 {
        self.hits
    }

    /// A method with its own escape hatch.
    #[pollguard::allow_blocking(fs, "reads a fixture in tests only")]
    pub async fn fixture(&self) -> usize {
        tokio::task::yield_now().await;
        std::fs::read("Cargo.toml").map_or(0, |b| b.len())
    }
}

/// A trait with an `impl Future` method, for a trait impl.
pub trait Source {
    /// The next value.
    fn next_value(&self) -> impl Future<Output = u32> + Send;
}

/// A trait impl with an async fn.
#[pollguard::no_blocking]
impl Source for Client {
    async fn next_value(&self) -> u32 {
        tokio::task::yield_now().await;
        self.hits
    }
}

/// A trait with default async fns, checked.
#[pollguard::no_blocking]
#[allow(async_fn_in_trait)]
pub trait Greeter {
    /// A name.
    fn name(&self) -> String;

    /// A greeting, by default async.
    async fn greet(&self) -> String {
        tokio::task::yield_now().await;
        format!("hello, {}", self.name())
    }
}

impl Greeter for Client {
    fn name(&self) -> String {
        self.hits.to_string()
    }
}

/// An `#[async_trait]` trait.
#[async_trait::async_trait]
pub trait Store {
    /// Reads a key.
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
}

/// Its implementor, checked with the attribute above `#[async_trait]`.
#[derive(Debug)]
pub struct Disk;

/// Its implementor, checked with the attribute below `#[async_trait]`.
#[derive(Debug)]
pub struct Mem;

#[pollguard::no_blocking]
#[async_trait::async_trait]
impl Store for Disk {
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let bytes = tokio::fs::read(key).await?;
        Ok(bytes)
    }
}

#[async_trait::async_trait]
#[pollguard::no_blocking]
impl Store for Mem {
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        if key.is_empty() {
            return Err(std::io::ErrorKind::NotFound.into());
        }
        Ok(key.as_bytes().to_vec())
    }
}

/// An inline module, with `use` declarations and a declared blocking fn.
#[pollguard::no_blocking]
pub mod db {
    use std::time::Duration;

    /// A query that blocks.
    #[pollguard::blocking]
    #[must_use]
    pub fn query(sql: &str) -> usize {
        sql.len()
    }

    /// A blocking call moved off the executor.
    ///
    /// # Panics
    ///
    /// When the blocking task panics.
    pub async fn count() -> usize {
        tokio::task::spawn_blocking(|| query("select 1"))
            .await
            .expect("the query task panicked")
    }

    /// An offloader of this crate's own, named in `offload(..)` above.
    pub fn run<T>(f: impl FnOnce() -> T) -> T {
        f()
    }

    /// A pause.
    pub async fn pause() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// `#[tokio::main]` below the attribute.
///
/// # Panics
///
/// When the runtime cannot be built (the lint comes from `#[tokio::main]`).
#[must_use]
#[pollguard::no_blocking]
#[tokio::main(flavor = "current_thread")]
pub async fn main_below() -> u32 {
    free(1).await
}

/// `#[tokio::main]` above the attribute.
///
/// # Panics
///
/// When the runtime cannot be built (the lint comes from `#[tokio::main]`).
#[must_use]
#[tokio::main(flavor = "current_thread")]
#[pollguard::no_blocking]
pub async fn main_above() -> u32 {
    free(2).await
}

#[cfg(test)]
mod tests {
    use super::{Client, Greeter, Mem, Source, Store};

    #[pollguard::no_blocking]
    #[tokio::test]
    async fn test_below() {
        assert_eq!(super::free(1).await, 2);
        assert_eq!(Client::default().next_value().await, 0);
    }

    #[tokio::test]
    #[pollguard::no_blocking]
    async fn test_above() {
        assert_eq!(Mem.get("k").await.ok(), Some(b"k".to_vec()));
        assert_eq!(Client::default().greet().await, "hello, 0");
    }

    #[test]
    fn mains() {
        assert_eq!(super::main_below(), 2);
        assert_eq!(super::main_above(), 3);
    }
}
