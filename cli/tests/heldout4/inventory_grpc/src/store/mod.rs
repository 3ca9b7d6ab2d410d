pub mod cache;
mod sqlite;

use std::sync::Mutex;
use std::time::Duration;

pub use rusqlite::{params, Connection, OptionalExtension};

pub use self::cache::ItemCache as Cache;
pub use self::sqlite::SqliteStore;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub price_cents: i64,
}

pub fn backoff(attempt: u32) {
    std::thread::sleep(Duration::from_millis(25 * 2u64.pow(attempt.min(6))));
}

pub fn normalize_sku(raw: &str) -> String {
    raw.trim().to_ascii_uppercase()
}
