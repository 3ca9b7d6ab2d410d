//! relay-bot: a Telegram chat bot offering weather lookups and daily digests, karma tracking,
//! and text-to-image rendering on a dedicated worker thread.

mod api {
    pub mod telegram;
    pub mod weather;

    pub use self::telegram::{Message, TelegramApi, Update};
    pub use self::weather::WeatherClient as Weather;
}
mod bot;
#[path = "storage.rs"]
mod store;
mod worker;

use std::collections::HashSet;
use std::sync::Arc;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let token = std::fs::read_to_string("/run/secrets/bot_token")?.trim().to_owned(); //~ ok(fs)
    let store = Arc::new(store::Store::load("relay-bot.json")?); //~ ok(fs)
    let weather = api::Weather::new(&std::env::var("WEATHER_API_KEY")?)?; //~ ok(http_blocking)
    let renderer = worker::Renderer::spawn("fonts".into());
    let admins: HashSet<i64> = std::env::var("BOT_ADMINS")
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();

    let bot = Arc::new(bot::Bot::new(
        api::TelegramApi::new(&token),
        weather,
        store.clone(),
        renderer,
        admins,
    ));

    let rt = tokio::runtime::Runtime::new()?;
    let res = rt.block_on(bot::run(bot)); //~ ok(block_on)
    store.persist()?; //~ ok(fs)
    res
}
