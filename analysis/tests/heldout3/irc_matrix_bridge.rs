//! Bridges an IRC channel into a Matrix room: lines read from IRC are relayed
//! as Matrix messages from puppet users, room events are echoed back to IRC.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc as tmpsc, RwLock};
use tracing::{info, warn};

type Nick = String;

pub struct IrcLink {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    channels: Vec<String>,
}

pub struct Bridge {
    irc: Arc<Mutex<IrcLink>>,
    rooms: RwLock<HashMap<String, String>>,
    puppets: Mutex<HashMap<Nick, String>>,
    outbox: tmpsc::Sender<String>,
    relay_rx: mpsc::Receiver<String>,
}

impl IrcLink {
    pub fn connect(addr: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr)?; //~ ok(net)
        let reader = BufReader::new(stream.try_clone()?);
        Ok(IrcLink { stream, reader, channels: Vec::new() })
    }

    fn send_line(&mut self, line: &str) -> std::io::Result<()> {
        self.stream.write_all(line.as_bytes())?; //~ ok(net)
        self.stream.write_all(b"\r\n") //~ ok(net)
    }
}

fn parse_privmsg(raw: &str) -> Option<(&str, &str)> {
    let rest = raw.strip_prefix(':')?;
    let (nick, rest) = rest.split_once('!')?;
    let (_, text) = rest.split_once(" :")?;
    Some((nick, text))
}

impl Bridge {
    pub async fn relay_irc_line(&self, raw: &str) -> anyhow::Result<()> {
        let (nick, text) = parse_privmsg(raw).ok_or_else(|| anyhow::anyhow!("not a PRIVMSG"))?;
        let rooms = self.rooms.read().await; //~ ok(lock)
        let room = rooms.get("#rust").cloned().unwrap_or_default();
        let puppet = {
            let mut puppets = self.puppets.lock().unwrap(); //~ lock
            puppets
                .entry(nick.to_owned())
                .or_insert_with(|| format!("@irc_{nick}:example.org"))
                .clone()
        };
        self.outbox.send(format!("{room} {puppet} {text}")).await?; //~ ok(channel)
        info!(%room, %puppet, "relayed");
        Ok(())
    }

    pub async fn echo_to_irc(&self, channel: &str, body: &str) -> anyhow::Result<()> {
        let mut link = self.irc.lock().unwrap(); //~ lock
        link.send_line(&format!("PRIVMSG {channel} :{body}"))?;
        Ok(())
    }

    pub async fn ping(&self) -> std::io::Result<String> {
        let mut link = self.irc.lock().unwrap(); //~ lock
        link.stream.write_all(b"PING :bridge\r\n")?; //~ net
        let mut pong = String::new();
        link.reader.read_line(&mut pong)?; //~ net
        Ok(pong)
    }

    pub async fn drain_relays(&self) -> Vec<String> {
        let mut out = Vec::new();
        while let Ok(line) = self.relay_rx.try_recv() { //~ ok(channel)
            out.push(line);
        }
        if out.is_empty() {
            if let Ok(line) = self.relay_rx.recv_timeout(Duration::from_millis(50)) { //~ channel
                out.push(line);
            }
        }
        out
    }

    pub async fn members_topic(&self, members: &[String]) -> String {
        let names = members.join(", "); //~ ok(thread_join)
        format!("bridged: {names}")
    }
}

pub async fn reconnect(server: &str, port: u16) -> anyhow::Result<IrcLink> {
    let mut backoff = 1;
    loop {
        let addrs: Vec<_> = (server, port).to_socket_addrs()?.collect(); //~ dns
        match TcpStream::connect(&addrs[..]) { //~ net
            Ok(stream) => {
                let reader = BufReader::new(stream.try_clone()?);
                return Ok(IrcLink { stream, reader, channels: vec!["#rust".into()] });
            }
            Err(e) => {
                warn!(error = %e, backoff, "irc connect failed");
                std::thread::sleep(Duration::from_secs(backoff)); //~ sleep
                backoff = (backoff * 2).min(60);
            }
        }
    }
}

pub async fn resolve_async(server: &str) -> std::io::Result<Vec<std::net::SocketAddr>> {
    let found = tokio::net::lookup_host((server, 6697)).await?; //~ ok(dns)
    tokio::time::sleep(Duration::from_millis(10)).await; //~ ok(sleep)
    Ok(found.collect())
}

pub fn start_reader(link: IrcLink, tx: mpsc::Sender<String>) -> std::thread::JoinHandle<()> {
    let IrcLink { mut reader, .. } = link;
    std::thread::spawn(move || {
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 { //~ ok(net)
            let _ = tx.send(std::mem::take(&mut line)); //~ ok(channel)
        }
    })
}

pub async fn shutdown(reader: std::thread::JoinHandle<()>, bridge: Arc<Bridge>) {
    let last = bridge.relay_rx.recv(); //~ channel
    info!(?last, "last relayed line before shutdown");
    if reader.join().is_err() { //~ thread_join
        warn!("irc reader thread panicked");
    }
}

pub fn spawn_relay(bridge: Arc<Bridge>, lines: Vec<String>) {
    tokio::spawn(async move {
        for line in lines {
            if let Err(e) = bridge.relay_irc_line(&line).await {
                warn!(error = %e, "relay failed");
            }
        }
        let puppets = bridge.puppets.lock().unwrap().len(); //~ lock
        info!(puppets, "relay batch done");
    });
}
