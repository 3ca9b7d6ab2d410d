use super::*;
use crate::worker::{reply_channel, Job};
use anyhow::anyhow;
use rand::Rng;

impl Bot {
    pub(super) async fn cmd_weather(&self, msg: &Message, args: &str) -> anyhow::Result<()> {
        let city = match args.trim() {
            "" => self.store.home_city(msg.chat.id).unwrap_or_else(|| "Berlin".into()), //~ lock
            other => other.to_owned(),
        };
        let forecast = self.weather.current(&city)?; //~ http_blocking
        self.api.send(msg.chat.id, &forecast.summary()).await //~ ok(http_blocking)
    }

    pub(super) async fn cmd_subscribe(&self, msg: &Message, args: &str) -> anyhow::Result<()> {
        let city = args.trim();
        if city.is_empty() {
            return self.api.send(msg.chat.id, "usage: /subscribe <city>").await;
        }
        let known = self.weather.resolve(city)?; //~ http_blocking
        self.store.subscribe(msg.chat.id, &known)?; //~ fs
        self.api
            .send(msg.chat.id, &format!("subscribed to daily weather for {known}"))
            .await
    }

    pub(super) async fn cmd_karma(&self, msg: &Message) -> anyhow::Result<()> {
        let text = msg.text.as_deref().unwrap_or_default();
        let Some(target) = text::mention(text) else {
            return Ok(());
        };
        let score = if text.ends_with("++") {
            self.store.bump_karma(target, 1) //~ lock
        } else if text.ends_with("--") {
            self.store.bump_karma(target, -1) //~ lock
        } else {
            self.store.karma(target) //~ lock
        };
        self.api.send(msg.chat.id, &format!("{target}: {score}")).await
    }

    pub(super) async fn cmd_render(&self, msg: &Message, args: &str) -> anyhow::Result<()> {
        let (tx, rx) = reply_channel();
        let job = Job {
            text: args.to_owned(),
            reply: tx,
        };
        self.renderer.submit(job).map_err(|_| anyhow!("renderer is gone"))?; //~ channel
        let png = rx.recv_timeout(Duration::from_secs(10))?; //~ channel
        self.api.send_photo(msg.chat.id, png).await
    }

    pub(super) async fn cmd_uptime(&self, msg: &Message) -> anyhow::Result<()> {
        let out = std::process::Command::new("uptime").arg("-p").output()?; //~ process
        let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        self.api.send(msg.chat.id, &text).await
    }

    pub(super) async fn cmd_backup(&self, msg: &Message) -> anyhow::Result<()> {
        if !self.is_admin(msg) {
            return Ok(());
        }
        let path = self.store.path().to_owned(); //~ ok(fs)
        let handle = std::thread::spawn(move || std::fs::copy(&path, path.with_extension("bak"))); //~ ok(fs)
        let copied = handle.join().map_err(|_| anyhow!("backup thread panicked"))??; //~ thread_join
        self.api
            .send(msg.chat.id, &format!("backup written ({copied} bytes)"))
            .await
    }

    pub(super) async fn cmd_reload(&self, msg: &Message) -> anyhow::Result<()> {
        if !self.is_admin(msg) {
            return Ok(());
        }
        let store = self.store.clone();
        let n = tokio::task::spawn_blocking(move || store.reload()).await??; //~ ok(fs)
        self.api.send(msg.chat.id, &format!("reloaded, {n} subscriptions")).await
    }

    pub(super) async fn cmd_stats(&self, msg: &Message) -> anyhow::Result<()> {
        fn snapshot(store: &Store) -> usize {
            store.subscriptions().len()
        }
        let subs = snapshot(&self.store); //~ lock
        let queued = self.renderer.pending(); //~ ok(channel)
        self.api
            .send(msg.chat.id, &format!("{subs} subscriptions, {queued} renders queued"))
            .await
    }

    pub(super) async fn cmd_roll(&self, msg: &Message, args: &str) -> anyhow::Result<()> {
        fn snapshot(seed: u64, sides: u64) -> u64 {
            seed.wrapping_mul(6364136223846793005).rotate_left(17) % sides + 1
        }
        let sides = args.parse().unwrap_or(6u64).max(2);
        let n = snapshot(rand::thread_rng().gen(), sides); //~ ok(lock)
        self.api.send(msg.chat.id, &format!("🎲 {n}")).await
    }
}
