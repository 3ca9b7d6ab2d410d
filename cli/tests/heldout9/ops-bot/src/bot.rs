use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use tokio::io::AsyncBufReadExt;

use crate::audit;
use crate::runbook::*;
use crate::settings::Settings;

pub struct Bot {
    settings: Settings,
    renderer: Renderer,
    repls: Mutex<HashMap<String, ReplDriver>>,
    running: Mutex<Vec<String>>,
}

#[derive(Deserialize)]
pub struct ChatCommand {
    user: String,
    text: String,
}

impl Bot {
    pub async fn new(settings: Settings) -> anyhow::Result<Self> {
        let renderer = Renderer::new(&settings.runbook_dir); //~ ok(fs)
        let token = dotenv::var("OPS_BOT_TOKEN")?; //~ fs
        if token.is_empty() {
            anyhow::bail!("OPS_BOT_TOKEN is empty");
        }
        let probe = renderer.preview("{{ service }} ok", "ops-bot")?; //~ ok(fs)
        log::info!("renderer ready: {probe}");
        Ok(Self { settings, renderer, repls: Mutex::default(), running: Mutex::default() })
    }

    async fn handle(&self, cmd: &ChatCommand) -> anyhow::Result<String> {
        if !self.settings.allowed_users.contains(&cmd.user) {
            return Ok("not allowed".into());
        }
        let words = shell_words::split(&cmd.text)?;
        let reply = match words.first().map(String::as_str) {
            Some("deploy") | Some("rollback") => {
                let (svc, ver) = (words.get(1).cloned().unwrap_or_default(), words.get(2).cloned().unwrap_or_default());
                let script = self.renderer.render_runbook(&words[0], &svc, &ver)?; //~ fs
                self.running.lock().unwrap().push(svc.clone()); //~ lock
                let res = if words[0] == "deploy" {
                    capture(&script)? //~ process
                } else {
                    capture_async(&script).await? //~ ok(process)
                };
                audit::append(&self.settings.audit_log, &cmd.user, &cmd.text, res.status == 0)?; //~ fs
                res.output
            }
            Some("preview") => self.renderer.preview(&words[1..].join(" "), "preview")?, //~ ok(fs)
            Some("sh") => {
                let mut repls = self.repls.lock().unwrap(); //~ lock
                if !repls.contains_key(&cmd.user) {
                    repls.insert(cmd.user.clone(), ReplDriver::bash(30_000)?); //~ process
                }
                let repl = repls.get_mut(&cmd.user).unwrap();
                let out = repl.run(&words[1..].join(" "))?; //~ process
                if repl.has_pending_output() { //~ ok(process)
                    repl.session.wait_for_prompt()?; //~ process
                }
                out
            }
            Some("db") => self.db_session(&cmd.user, &words[1..].join(" ")).await?,
            Some("status") => {
                let n = self.running.try_lock().map(|g| g.len()).unwrap_or(0); //~ ok(lock)
                format!("{n} runbooks started since boot")
            }
            Some("reload-env") => {
                let found = dotenv::dotenv()?; //~ fs
                format!("reloaded {}", found.display())
            }
            Some("version") => {
                let out = Command::new("git").args(["-C", "/srv/ops", "rev-parse", "HEAD"]).output()?; //~ process
                String::from_utf8_lossy(&out.stdout).trim().to_string()
            }
            Some("version-async") => {
                let out = tokio::process::Command::new("git").args(["rev-parse", "HEAD"]).output().await?; //~ ok(process)
                String::from_utf8_lossy(&out.stdout).trim().to_string()
            }
            Some("runbooks") => {
                let mut names = Vec::new();
                for e in std::fs::read_dir(&self.settings.runbook_dir)? { //~ fs
                    names.push(e?.file_name().to_string_lossy().into_owned());
                }
                names.join(", ")
            }
            _ => audit::format_entry(&cmd.user, "unknown command"), //~ ok(fs)
        };
        Ok(reply)
    }

    async fn db_session(&self, user: &str, sql: &str) -> anyhow::Result<String> {
        let mut p = rexpect::spawn("psql -h db.internal -U ops ops", Some(15_000))?;
        p.exp_string("Password for user ops:")?; //~ process
        p.send_line(&std::env::var("OPS_DB_PASSWORD").unwrap_or_default())?;
        p.exp_regex(r"ops=[>#] ")?; //~ process
        p.send_line(sql)?;
        let (out, _) = p.exp_regex(r"\(\d+ rows?\)")?; //~ process
        let peek = p.try_read(); //~ ok(process)
        p.send_line("\\q")?;
        p.exp_eof()?; //~ process
        p.process.wait()?; //~ process
        log::info!("{user} ran sql ({} bytes, peek {:?})", out.len(), peek);
        Ok(out)
    }
}

pub async fn serve(bot: Arc<Bot>) -> anyhow::Result<()> {
    let listen = bot.settings.listen.clone();
    let app = Router::new().route("/command", post(on_command)).with_state(bot);
    let listener = tokio::net::TcpListener::bind(&listen).await?; //~ ok(net)
    axum::serve(listener, app).await?;
    Ok(())
}

async fn on_command(State(bot): State<Arc<Bot>>, Json(cmd): Json<ChatCommand>) -> Json<serde_json::Value> {
    let reply = bot.handle(&cmd).await.unwrap_or_else(|e| format!("error: {e}"));
    Json(serde_json::json!({ "text": reply }))
}

/// `--console`: operate the bot from a terminal, for when chat is down.
pub async fn console(bot: Arc<Bot>) -> anyhow::Result<()> {
    let user = std::env::var("USER").unwrap_or_else(|_| "console".into());
    let (tx, rx) = mpsc::channel::<String>();
    let ticker = std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) { //~ ok(stdio)
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let first = rx.recv()?; //~ channel
    let reply = bot.handle(&ChatCommand { user: user.clone(), text: first }).await?;
    println!("{reply}");
    let mut stdin = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = stdin.next_line().await? { //~ ok(stdio)
        if line == "exit" {
            break;
        }
        if line == "reload" {
            dotenv::from_filename("ops-bot.env")?; //~ fs
            let env = Settings::from_env();
            log::info!("reloaded settings, {} users", env.allowed_users.len());
            continue;
        }
        let reply = bot.handle(&ChatCommand { user: user.clone(), text: line }).await?;
        println!("{reply}");
    }
    drop(rx);
    ticker.join().ok(); //~ thread_join

    let mut env = minijinja::Environment::new(); //~ ok(fs)
    env.set_loader(minijinja::path_loader(&bot.settings.runbook_dir)); //~ ok(fs)
    env.add_template("motd", "bye {{ user }}")?; //~ ok(fs)
    let t = env.get_template("farewell.txt.j2")?; //~ fs
    println!("{}", t.render(minijinja::context! { user })?);

    let (mut reader, writer) = os_pipe::pipe()?; //~ ok(process)
    let mut child = Command::new("uptime").stdout(writer).spawn()?;
    let mut up = String::new();
    reader.read_to_string(&mut up)?; //~ process
    child.wait()?; //~ process
    let log_copy = fern::log_file(PathBuf::from("/tmp/ops-bot-console.log"))?; //~ fs
    drop(log_copy);
    std::thread::sleep(Duration::from_millis(250)); //~ sleep
    let captured = tokio::task::spawn_blocking(|| capture("df -h")).await??; //~ ok(process)
    println!("{up}{}", captured.output);
    Ok(())
}
