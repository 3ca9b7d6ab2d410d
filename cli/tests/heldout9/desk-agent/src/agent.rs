use std::path::{Path, PathBuf};
use std::time::Duration;

use evdev::Key;
use futures::StreamExt;
use inotify::{Inotify, WatchMask};
use serde::Deserialize;

use crate::bus::*;
use crate::input::{self, Hotkeys};
use crate::logging::{self, RemoteLog};
use crate::watch::ConfigWatcher;

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Config {
    pub keyboard: Option<String>,
    pub syslog_server: Option<String>,
    pub block_on_idle: bool,
    pub lock_on_suspend: bool,
}

pub fn config_path() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    PathBuf::from(home).join(".config/desk-agent/agent.toml")
}

pub async fn load_config(path: &Path) -> anyhow::Result<Config> {
    let raw = tokio::fs::read_to_string(path).await?;
    Ok(toml::from_str(&raw)?)
}

/// Opens the config in $EDITOR and waits for it to close.
pub fn edit_config(path: &Path) -> anyhow::Result<()> {
    edit::edit_file(path)?;
    Ok(())
}

pub struct Agent {
    cfg: Config,
    notifier: Notifier,
    anotifier: AsyncNotifier,
    power: PowerManager,
    hotkeys: Option<Hotkeys>,
    watcher: ConfigWatcher,
    remote: Option<RemoteLog>,
}

impl Agent {
    pub async fn start(cfg: Config) -> anyhow::Result<Self> {
        let notifier = Notifier::connect()?; //~ net
        let anotifier = AsyncNotifier::connect().await?; //~ ok(net)
        let power = PowerManager::system()?; //~ net
        let hotkeys = match &cfg.keyboard {
            Some(p) => Some(Hotkeys::open(Path::new(p))?), //~ fs
            None => input::find_keyboard().map(|(path, dev)| Hotkeys { dev, path }), //~ fs
        };
        let dir = config_path().parent().map(Path::to_path_buf).unwrap_or_default();
        let watcher = ConfigWatcher::new(&dir)?;
        let remote = match cfg.syslog_server.as_deref() {
            Some(server) => Some(RemoteLog::connect(server)?), //~ net
            None => None,
        };
        Ok(Self { cfg, notifier, anotifier, power, hotkeys, watcher, remote })
    }

    pub async fn run(&mut self) -> anyhow::Result<()> {
        loop {
            let mut changed = self.watcher.poll_changed()?; //~ ok(fs)
            if changed.is_empty() && self.cfg.block_on_idle {
                changed = self.watcher.wait_changed()?; //~ fs
            }
            for name in changed.iter().filter(|n| n.ends_with(".toml")) {
                let raw = std::fs::read_to_string(config_path())?; //~ fs
                self.cfg = toml::from_str(&raw)?; //~ ok(fs)
                self.notifier.notify("Config reloaded", name)?; //~ net
                self.anotifier.notify("Config reloaded (async)", name).await?; //~ ok(net)
            }

            let presses = match self.hotkeys.as_mut() {
                Some(kb) if kb.is_keyboard() => kb.next_presses()?, //~ fs
                _ => Vec::new(),
            };
            for key in presses {
                self.on_key(key).await?;
            }
            tokio::time::sleep(Duration::from_millis(50)).await; //~ ok(sleep)
        }
    }

    async fn on_key(&mut self, key: Key) -> anyhow::Result<()> {
        match key {
            Key::KEY_SLEEP => {
                let can = self.power.can_suspend()?; //~ net
                if can != "yes" {
                    return Ok(());
                }
                if let Some(r) = &self.remote {
                    r.info("suspend requested from hotkey"); //~ net
                }
                let _inhibit = self.power.inhibit_lock("flushing state")?; //~ net
                if self.cfg.lock_on_suspend {
                    std::process::Command::new("loginctl").arg("lock-session").status()?; //~ process
                }
                std::thread::sleep(Duration::from_millis(300)); //~ sleep
                self.power.suspend()?; //~ net
            }
            Key::KEY_F12 => {
                let notes = edit::edit("# quick note\n")?; //~ process
                tokio::fs::write("/tmp/desk-agent-note.md", notes).await?; //~ ok(fs)
                let path = config_path();
                tokio::task::spawn_blocking(move || edit::edit_file(path)).await??; //~ ok(process)
            }
            Key::KEY_F10 => self.lock_screen().await?,
            Key::KEY_F11 => {
                if let Some(r) = &self.remote {
                    let mut lg = r.logger.lock().unwrap(); //~ lock
                    let _ = lg.err("manual error marker");
                }
                self.notifier.notify("desk-agent", "error marker sent")?; //~ net
            }
            _ => {}
        }
        Ok(())
    }

    async fn lock_screen(&self) -> anyhow::Result<()> {
        let conn = zbus::blocking::Connection::session()?; //~ net
        conn.call_method(Some("org.freedesktop.ScreenSaver"), "/org/freedesktop/ScreenSaver", Some("org.freedesktop.ScreenSaver"), "Lock", &())?; //~ net
        let aconn = zbus::Connection::session().await?; //~ ok(net)
        aconn.request_name("org.example.DeskAgent.Locker").await?; //~ ok(net)
        conn.request_name("org.example.DeskAgent").ok(); //~ net
        Ok(())
    }
}

/// `desk-agent debug`: dump raw input / inotify / syslog behaviour.
pub async fn debug_session(dev_path: &str, server: &str) -> anyhow::Result<()> {
    let mut ino = Inotify::init()?; //~ ok(fs)
    ino.watches().add("/etc", WatchMask::MODIFY)?;
    let mut buf = [0u8; 1024];
    let first = ino.read_events_blocking(&mut buf)?.count(); //~ fs
    let mut queued = ino.read_events(&mut buf)?.count(); //~ ok(fs)
    let mut stream = ino.into_event_stream(vec![0u8; 1024])?; //~ ok(fs)
    if let Some(ev) = stream.next().await { //~ ok(fs)
        queued += ev.is_ok() as usize;
    }

    let mut dev = evdev::Device::open(dev_path)?; //~ fs
    for ev in dev.fetch_events()? { //~ fs
        println!("{ev:?}");
    }
    let mut events = evdev::Device::open(dev_path)?.into_event_stream()?; //~ fs
    let ev = events.next_event().await?; //~ ok(fs)
    let keyboards = evdev::enumerate().count(); //~ fs

    let mut lg = syslog::tcp(logging::formatter(), server).map_err(|e| anyhow::anyhow!("{e}"))?; //~ net
    lg.info(format!("debug: {first} fs events, {queued} queued, {keyboards} kbds, last {ev:?}")).ok(); //~ net
    let fmt = logging::formatter(); //~ ok(net)
    let _ = fmt.process.len();
    let meta = std::fs::metadata(dev_path)?; //~ fs
    let ameta = tokio::fs::metadata(dev_path).await?; //~ ok(fs)
    println!("{} {}", meta.len(), ameta.len());
    Ok(())
}
