//! Local interactive console for operators on the box itself.

use std::sync::Arc;

use inquire::{Confirm, Select, Text};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::Mutex;

use crate::commands::Dispatcher;

const ACTIONS: &[&str] = &["status", "logs", "deploy", "restart", "mem", "disk", "top", "quit"];

pub async fn run(dispatcher: Arc<Mutex<Dispatcher>>) -> anyhow::Result<()> {
    let scripted = std::env::var("OPSBOT_SCRIPTED").is_ok();
    if scripted {
        // Non-interactive: read commands from stdin asynchronously.
        let mut lines = BufReader::new(tokio::io::stdin()).lines(); //~ ok(stdio)
        while let Some(line) = lines.next_line().await? { //~ ok(stdio)
            let reply = dispatcher.lock().await.handle(&line).await; //~ ok(lock)
            println!("{reply}");
        }
        return Ok(());
    }

    loop {
        let select = Select::new("action:", ACTIONS.to_vec()); //~ ok(stdio)
        let action = select.prompt()?; //~ stdio
        if action == "quit" {
            break;
        }
        let mut line = action.to_string();
        if matches!(action, "status" | "logs" | "deploy" | "restart") {
            let target = Text::new("service:").with_default("web").prompt()?; //~ stdio
            line = format!("{action} {target}");
        }
        if matches!(action, "deploy" | "restart") {
            let sure = Confirm::new("really?").with_default(false).prompt()?; //~ stdio
            if !sure {
                continue;
            }
        }
        let reply = dispatcher.lock().await.handle(&line).await; //~ ok(lock)
        println!("{reply}");
    }
    Ok(())
}
