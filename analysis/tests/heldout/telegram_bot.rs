//! Telegram bot: answers `/sticker`, `/stats` and `/banned` from a local
//! cache directory, counts messages per chat, and forwards reminders from a
//! worker thread.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::InputFile;
use tokio::sync::{mpsc, RwLock};

#[derive(Clone)]
struct BotState {
    cache_dir: PathBuf,
    counters: Arc<StdMutex<HashMap<i64, u64>>>,
    prefs: Arc<RwLock<HashMap<i64, String>>>,
    audit: mpsc::UnboundedSender<String>,
}

impl BotState {
    fn sticker_path(&self, name: &str) -> PathBuf {
        self.cache_dir.join(format!("{name}.webp")) //~ ok(thread_join)
    }

    fn load_banned(path: &Path) -> Vec<i64> {
        let text = std::fs::read_to_string(path).unwrap_or_default(); //~ ok(fs)
        text.lines().filter_map(|l| l.parse().ok()).collect()
    }
}

async fn on_message(bot: Bot, msg: Message, state: BotState) -> ResponseResult<()> {
    let chat = msg.chat.id.0;
    {
        let mut counters = state.counters.lock().unwrap(); //~ lock
        *counters.entry(chat).or_insert(0) += 1;
    }
    let lang = state.prefs.read().await.get(&chat).cloned(); //~ ok(lock)
    let _ = state.audit.send(format!("msg from {chat}")); //~ ok(channel)

    let Some(text) = msg.text() else { return Ok(()) };
    if let Some(name) = text.strip_prefix("/sticker ") {
        let path = state.sticker_path(name);
        if path.exists() { //~ fs
            bot.send_sticker(msg.chat.id, InputFile::file(&path)).await?;
        } else {
            bot.send_message(msg.chat.id, "unknown sticker").await?;
        }
    } else if text == "/stats" {
        let mut raw = String::new();
        std::fs::File::open(state.cache_dir.join("stats.txt")) //~ fs, ok(thread_join)
            .and_then(|mut f| f.read_to_string(&mut raw)) //~ miss(fs)
            .ok();
        bot.send_message(msg.chat.id, format!("{raw} ({lang:?})")).await?;
    } else if text == "/banned" {
        let list = BotState::load_banned(&state.cache_dir.join("banned.txt"));
        bot.send_message(msg.chat.id, format!("{} banned", list.len())).await?;
    } else if text == "/leaderboard" {
        let board = render_leaderboard(state.clone()).await;
        bot.send_message(msg.chat.id, board).await?;
    }
    Ok(())
}

async fn render_leaderboard(state: BotState) -> String {
    let dir = state.cache_dir.clone();
    let files = tokio::task::spawn_blocking(move || {
        let entries = std::fs::read_dir(&dir).unwrap(); //~ ok(fs)
        entries.count()
    })
    .await
    .unwrap();
    let counters = state.counters.lock().unwrap().clone(); //~ lock
    let with_prefs = state.prefs.blocking_read().len(); //~ tokio_blocking
    let mut rows: Vec<_> = counters.into_iter().collect();
    rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    format!("{files} cached stickers, {with_prefs} prefs, top chat {:?}", rows.first())
}

fn export_prefs(state: &BotState) -> Vec<(i64, String)> {
    state.prefs.blocking_read().iter().map(|(k, v)| (*k, v.clone())).collect() //~ ok(tokio_blocking)
}

fn spawn_reminder_thread(rx: std::sync::mpsc::Receiver<(i64, String)>, bot: Bot) {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        while let Ok((chat, text)) = rx.recv() { //~ ok(channel)
            rt.block_on(async { bot.send_message(ChatId(chat), text).await }).ok(); //~ ok(block_on)
            std::thread::sleep(Duration::from_millis(50)); //~ ok(sleep)
        }
    });
}

#[tokio::main]
async fn main() {
    let (audit_tx, mut audit_rx) = mpsc::unbounded_channel();
    let (remind_tx, remind_rx) = std::sync::mpsc::channel();
    let bot = Bot::from_env();
    spawn_reminder_thread(remind_rx, bot.clone());
    remind_tx.send((0, "bot started".to_owned())).unwrap(); //~ ok(channel)

    let mut token_check = String::new();
    println!("press enter to confirm the token");
    std::io::stdin().read_line(&mut token_check).unwrap(); //~ stdio
    std::thread::sleep(Duration::from_millis(200)); //~ sleep

    tokio::spawn(async move {
        while let Some(line) = audit_rx.recv().await { //~ ok(channel)
            tracing::info!(%line, "audit");
        }
    });

    let state = BotState {
        cache_dir: PathBuf::from("./cache"),
        counters: Arc::default(),
        prefs: Arc::default(),
        audit: audit_tx,
    };
    teloxide::repl(bot, move |bot: Bot, msg: Message| {
        let state = state.clone();
        Box::pin(async move { on_message(bot, msg, state).await })
    })
    .await;
}
