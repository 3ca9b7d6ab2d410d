//! Websocket chat server on tokio-tungstenite: nicknames, a broadcast room,
//! a history file written by a dedicated thread, and a tiny admin port.

use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast;
use tokio_tungstenite::{accept_async, tungstenite::Message};

type Peers = Arc<Mutex<HashMap<SocketAddr, String>>>;

async fn handle(stream: TcpStream, addr: SocketAddr, peers: Peers, tx: broadcast::Sender<String>, history: SyncSender<String>) {
    let ws = accept_async(stream).await.unwrap(); //~ ok(net)
    let (mut sink, mut source) = ws.split();
    let mut rx = tx.subscribe();
    peers.lock().unwrap().insert(addr, "anon".into()); //~ lock
    loop {
        tokio::select! {
            msg = source.next() => {
                match msg {
                    Some(Ok(Message::Text(t))) => {
                        if let Some(nick) = t.strip_prefix("/nick ") {
                            peers.lock().unwrap().insert(addr, nick.to_owned()); //~ lock
                        } else if t == "/history" {
                            let hist = std::fs::read_to_string("history.log").unwrap_or_default(); //~ fs
                            sink.send(Message::Text(hist)).await.ok(); //~ ok(channel)
                        } else {
                            let nick = peers.lock().unwrap().get(&addr).cloned().unwrap_or_default(); //~ lock
                            let line = format!("{nick}: {t}");
                            history.send(line.clone()).unwrap(); //~ channel
                            let _ = tx.send(line); //~ ok(channel)
                        }
                    }
                    _ => break,
                }
            }
            out = rx.recv() => { //~ ok(channel)
                let Ok(line) = out else { continue };
                if sink.send(Message::Text(line)).await.is_err() { //~ ok(channel)
                    break;
                }
            }
        }
    }
    peers.lock().unwrap().remove(&addr); //~ lock
}

fn spawn_history_writer() -> SyncSender<String> {
    let (tx, rx) = sync_channel::<String>(256);
    std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().append(true).create(true).open("history.log").unwrap(); //~ ok(fs)
        for line in rx { //~ ok(channel)
            writeln!(f, "{line}").ok(); //~ ok(fs)
        }
    });
    tx
}

async fn admin(peers: Peers) {
    let admin = std::net::TcpListener::bind("127.0.0.1:9002").unwrap(); //~ ok(net)
    admin.set_nonblocking(true).unwrap();
    loop {
        match admin.accept() { //~ ok(net)
            Ok((sock, _)) => {
                let mut reader = BufReader::new(sock.try_clone().unwrap());
                let mut cmd = String::new();
                reader.read_line(&mut cmd).ok(); //~ net
                let count = peers.lock().unwrap().len(); //~ lock
                let mut sock = sock;
                sock.write_all(format!("{count} peers\n").as_bytes()).ok(); //~ net
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await, //~ ok(sleep)
        }
    }
}

#[tokio::main]
async fn main() {
    let listener = TcpListener::bind("0.0.0.0:9001").await.unwrap(); //~ ok(net)
    let peers: Peers = Arc::default();
    let (tx, _) = broadcast::channel(1024);
    let history = spawn_history_writer();
    tokio::spawn(admin(peers.clone()));
    while let Ok((stream, addr)) = listener.accept().await { //~ ok(net)
        tokio::spawn(handle(stream, addr, peers.clone(), tx.clone(), history.clone()));
    }
}
