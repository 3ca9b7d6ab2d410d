//! opsbot — a chat-ops bot. Operators connect over a line protocol
//! (`nc host 7777`) or use the local console; commands run shell tooling,
//! report host health and call into plugins.

mod commands;
mod console;
mod plugins;
mod sysview;

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

use crate::commands::Dispatcher;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let interactive = std::env::args().any(|a| a == "--console");

    // Refuse to start without the tools we shell out to.
    for tool in ["git", "systemctl", "journalctl"] {
        if let Err(e) = which::which(tool) { //~ fs
            tracing::warn!(tool, error = %e, "tool missing");
        }
    }

    let dispatcher = Arc::new(Mutex::new(Dispatcher::new()));
    let banner = sysview::banner(); //~ fs
    tracing::info!(%banner, "opsbot starting");

    if interactive {
        return console::run(dispatcher).await;
    }

    tokio::spawn(sysview::watch_load());

    let listener = TcpListener::bind("127.0.0.1:7777").await?;
    loop {
        let (sock, peer) = listener.accept().await?;
        tracing::info!(%peer, "operator connected");
        let d = dispatcher.clone();
        tokio::spawn(async move {
            if let Err(e) = session(sock, d).await {
                tracing::warn!(error = %e, "session ended");
            }
        });
    }
}

async fn session(sock: TcpStream, dispatcher: Arc<Mutex<Dispatcher>>) -> anyhow::Result<()> {
    let (rd, mut wr) = sock.into_split();
    let mut lines = BufReader::new(rd).lines();
    wr.write_all(b"opsbot ready\n").await?;
    while let Some(line) = lines.next_line().await? {
        let reply = {
            let mut d = dispatcher.lock().await; //~ ok(lock)
            d.handle(line.trim()).await
        };
        wr.write_all(reply.as_bytes()).await?;
        wr.write_all(b"\n").await?;
    }
    Ok(())
}
