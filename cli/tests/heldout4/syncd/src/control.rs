use std::path::Path;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;

use crate::daemon::Daemon;
use crate::sync;

pub async fn serve(d: Arc<Daemon>) -> std::io::Result<()> {
    let path = d.cfg().control_socket.clone();
    let _ = tokio::fs::remove_file(&path).await; //~ ok(fs)
    let listener = UnixListener::bind(&path)?;
    loop {
        let (sock, _) = listener.accept().await?; //~ ok(net)
        let d = d.clone();
        tokio::spawn(async move {
            let (r, mut w) = sock.into_split();
            let mut lines = BufReader::new(r).lines();
            while let Ok(Some(line)) = lines.next_line().await { //~ ok(net)
                let mut words = line.split_whitespace();
                let reply = match words.next() {
                    Some("pause") => {
                        d.set_paused(true); //~ ok(lock)
                        "paused".to_owned()
                    }
                    Some("resume") => {
                        d.set_paused(false); //~ ok(lock)
                        "resumed".to_owned()
                    }
                    Some("status") => {
                        let (total, synced) = d.stats(); //~ db
                        format!("{synced}/{total} synced, paused={}", d.is_paused())
                    }
                    Some("digest") => match words.next() {
                        Some(p) => sync::file_digest(Path::new(p)) //~ fs
                            .unwrap_or_else(|e| format!("error: {e}")),
                        None => "usage: digest <path>".to_owned(),
                    },
                    Some("hash") => sync::digest_bytes(words.collect::<Vec<_>>().join(" ").as_bytes()), //~ ok(fs)
                    _ => "unknown command".to_owned(),
                };
                if w.write_all(format!("{reply}\n").as_bytes()).await.is_err() { //~ ok(net)
                    break;
                }
            }
        });
    }
}
