mod commands;
mod dispatch;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use crate::api::*;
use crate::store::Store;
use crate::worker::Renderer;

pub use self::dispatch::run;

pub struct Bot {
    api: TelegramApi,
    weather: Weather,
    store: Arc<Store>,
    renderer: Renderer,
    admins: HashSet<i64>,
}

impl Bot {
    pub fn new(
        api: TelegramApi,
        weather: Weather,
        store: Arc<Store>,
        renderer: Renderer,
        admins: HashSet<i64>,
    ) -> Self {
        Self {
            api,
            weather,
            store,
            renderer,
            admins,
        }
    }

    fn is_admin(&self, msg: &Message) -> bool {
        msg.from.as_ref().is_some_and(|u| self.admins.contains(&u.id))
    }

    pub async fn digest_loop(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            for (chat, city) in self.store.subscriptions() { //~ lock
                match self.weather.current(&city) { //~ http_blocking
                    Ok(forecast) => {
                        let _ = self.api.send(chat, &forecast.summary()).await; //~ ok(http_blocking)
                    }
                    Err(e) => tracing::warn!(%city, error = %e, "digest lookup failed"),
                }
            }
        }
    }
}

mod text {
    pub fn split_command(text: &str) -> (&str, &str) {
        let text = text.trim();
        let (head, rest) = text.split_once(' ').unwrap_or((text, ""));
        let cmd = head.split('@').next().unwrap_or(head);
        (cmd, rest.trim())
    }

    pub fn mention(text: &str) -> Option<&str> {
        text.split_whitespace()
            .find(|w| w.starts_with('@'))
            .map(|w| w.trim_start_matches('@').trim_end_matches(['+', '-']))
    }
}
