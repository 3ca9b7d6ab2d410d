pub mod rest;
pub mod ws;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quote {
    pub symbol: String,
    pub bid: f64,
    pub ask: f64,
    pub ts: i64,
}

pub fn subscribe_message(symbols: &[String]) -> String {
    serde_json::json!({ "op": "subscribe", "symbols": symbols }).to_string()
}
