use super::*;
use super::text::split_command;

pub async fn run(bot: Arc<Bot>) -> anyhow::Result<()> {
    tokio::spawn(bot.clone().digest_loop());
    tokio::spawn(console(bot.clone()));

    let mut offset = bot.store.last_offset(); //~ lock
    let mut failures = 0u32;
    loop {
        match bot.api.get_updates(offset).await {
            Ok(updates) => {
                failures = 0;
                for update in updates {
                    offset = offset.max(update.update_id + 1);
                    if let Some(msg) = update.message {
                        let bot = bot.clone();
                        tokio::spawn(async move {
                            if let Err(e) = bot.handle(&msg).await {
                                tracing::warn!(chat = msg.chat.id, error = %e, "command failed");
                            }
                        });
                    }
                }
                bot.store.set_offset(offset); //~ lock
            }
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, failures, "polling failed");
                if failures > 5 {
                    std::thread::sleep(Duration::from_secs(30)); //~ sleep
                } else {
                    tokio::time::sleep(Duration::from_secs(failures as u64)).await; //~ ok(sleep)
                }
            }
        }
    }
}

impl Bot {
    async fn handle(&self, msg: &Message) -> anyhow::Result<()> {
        let Some(text) = msg.text.as_deref() else {
            return Ok(());
        };
        let (cmd, args) = split_command(text);
        match cmd {
            "/weather" => self.cmd_weather(msg, args).await,
            "/subscribe" => self.cmd_subscribe(msg, args).await,
            "/render" => self.cmd_render(msg, args).await,
            "/uptime" => self.cmd_uptime(msg).await,
            "/backup" => self.cmd_backup(msg).await,
            "/reload" => self.cmd_reload(msg).await,
            "/stats" => self.cmd_stats(msg).await,
            "/roll" => self.cmd_roll(msg, args).await,
            _ if text.ends_with("++") || text.ends_with("--") => self.cmd_karma(msg).await,
            _ => Ok(()),
        }
    }
}

async fn console(bot: Arc<Bot>) {
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        line.clear();
        match stdin.read_line(&mut line) { //~ stdio
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let (cmd, rest) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        match cmd {
            "broadcast" => {
                for chat in bot.store.chats() { //~ lock
                    let _ = bot.api.send(chat, rest).await; //~ ok(http_blocking)
                }
            }
            "save" => {
                if let Err(e) = bot.store.persist() { //~ fs
                    eprintln!("save failed: {e}");
                }
            }
            "flush" => {
                let _ = bot.store.flush().await;
            }
            other => eprintln!("unknown console command: {other}"),
        }
    }
}
