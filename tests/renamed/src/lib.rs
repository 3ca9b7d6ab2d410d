//! `#[pg::no_blocking(crate = pg)]`: pollguard under the name a user's
//! Cargo.toml gives it (`pg = { package = "pollguard", .. }`). Without
//! `crate = pg`, the generated code names `::pollguard`, which does not
//! resolve here:
//!
//! ```compile_fail
//! #[pg::no_blocking]
//! async fn handler() {}
//! ```

use std::time::Duration;

/// A free async fn, watched in debug builds through `pg`.
#[pg::no_blocking(crate = pg)]
pub async fn free(n: u32) -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    n + 1
}

/// The string form, as serde and tokio spell it, with other arguments.
#[pg::no_blocking(budget = "50ms", crate = "pg")]
pub async fn quoted() -> u32 {
    tokio::task::yield_now().await;
    1
}

/// A sync helper that blocks: the compile-time check cannot see through it
/// when it lives elsewhere, so the watchdog has to.
pub fn slow_helper() {
    std::thread::sleep(Duration::from_millis(300));
}

/// Calls the blocking helper from async code: the watchdog reports it.
#[pg::no_blocking(crate = pg, budget = "20ms")]
pub async fn calls_slow_helper() {
    slow_helper();
}

/// Escape hatches and a declared blocking fn, written with the user's name.
#[pg::no_blocking(crate = pg)]
pub mod db {
    /// A query that blocks, declared with `#[pg::blocking]`.
    #[pg::blocking]
    #[must_use]
    pub fn query(sql: &str) -> usize {
        sql.len()
    }

    /// Hatches on a statement and on a `let`.
    pub async fn startup() -> usize {
        #[pg::allow_blocking(sleep, "a fixture waits for the clock to tick")]
        std::thread::sleep(std::time::Duration::from_millis(1));
        #[pg::allow_blocking("read once, before serving")]
        let n = query("select 1");
        tokio::task::yield_now().await;
        n
    }

    /// A hatch on a whole fn, below the attribute of the module.
    #[pg::allow_blocking("a one-shot entry point")]
    pub async fn entry() -> usize {
        tokio::task::yield_now().await;
        query("select 2")
    }
}

/// An impl, with the hatch above the attribute.
#[derive(Debug)]
pub struct Svc;

#[pg::allow_blocking(fs, "reads a fixture once")]
#[pg::no_blocking(crate = pg)]
impl Svc {
    /// A method that reads a file.
    pub async fn fixture(&self) -> usize {
        tokio::task::yield_now().await;
        std::fs::read("Cargo.toml").map_or(0, |b| b.len())
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn runs_under_the_users_name() {
        assert_eq!(super::free(1).await, 2);
        assert_eq!(super::quoted().await, 1);
        assert_eq!(super::db::startup().await, 8);
        assert_eq!(super::db::entry().await, 8);
        assert!(super::Svc.fixture().await > 0);
    }

    /// The watchdog that the expansion installs through `pg` is the real one.
    #[cfg(debug_assertions)]
    #[tokio::test]
    #[should_panic(expected = "calls_slow_helper")]
    async fn the_watchdog_is_reached_through_pg() {
        super::calls_slow_helper().await;
    }
}
