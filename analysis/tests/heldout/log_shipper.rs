//! Log shipper on smol: tails a set of files, batches lines and ships them
//! over TCP to a collector; a status line is printed on demand.

use async_channel::{bounded, Receiver, Sender};
use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use smol::net::TcpStream;
use smol::Timer;
use std::collections::HashMap;
use std::io::{Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Offsets {
    path: PathBuf,
    map: Mutex<HashMap<PathBuf, u64>>,
}

impl Offsets {
    fn persist(&self) -> std::io::Result<()> {
        let map = self.map.lock().unwrap(); //~ ok(lock)
        let text: String = map.iter().map(|(p, o)| format!("{}\t{o}\n", p.display())).collect();
        std::fs::write(&self.path, text) //~ ok(fs)
    }
}

async fn tail(path: PathBuf, offsets: Arc<Offsets>, tx: Sender<String>) -> std::io::Result<()> {
    let start = offsets.map.lock().unwrap().get(&path).copied().unwrap_or(0); //~ lock
    let mut file = std::fs::File::open(&path)?; //~ fs
    file.seek(SeekFrom::Start(start))?;
    let mut reader = BufReader::new(smol::Unblock::new(file));
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).await?;
        if n == 0 {
            Timer::after(Duration::from_millis(250)).await;
            continue;
        }
        tx.send(line.clone()).await.ok(); //~ ok(channel)
        *offsets.map.lock().unwrap().entry(path.clone()).or_insert(0) += n as u64; //~ lock
    }
}

async fn ship(rx: Receiver<String>, collector: &str, offsets: Arc<Offsets>) -> std::io::Result<()> {
    let mut conn = TcpStream::connect(collector).await?; //~ ok(net)
    let mut batch = Vec::with_capacity(100);
    loop {
        let line = rx.recv().await.map_err(|_| std::io::ErrorKind::BrokenPipe)?; //~ ok(channel)
        batch.push(line);
        while let Ok(more) = rx.try_recv() { //~ ok(channel)
            batch.push(more);
            if batch.len() == 100 {
                break;
            }
        }
        conn.write_all(batch.concat().as_bytes()).await?; //~ ok(net)
        batch.clear();
        let o = offsets.clone();
        smol::unblock(move || o.persist()).await?;
    }
}

async fn fallback_ship(lines: Vec<String>, collector: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut sock = std::net::TcpStream::connect(collector)?; //~ net
    for l in &lines {
        sock.write_all(l.as_bytes())?; //~ net
    }
    std::thread::sleep(Duration::from_millis(100)); //~ sleep
    Ok(())
}

async fn rotate(dir: &str) -> std::io::Result<()> {
    let forced = std::process::Command::new("logrotate").arg("-f").arg(dir).status()?; //~ process
    let child = std::process::Command::new("gzip").arg("-r").arg(dir).stdout(std::process::Stdio::piped()).spawn()?; //~ ok(process)
    let out = child.wait_with_output()?; //~ process
    let mut check = async_process::Command::new("ls").arg(dir).spawn()?; //~ ok(process)
    let listed = check.status().await?; //~ ok(process)
    tracing::info!(?forced, code = ?out.status.code(), ?listed); //~ ok(process)
    Ok(())
}

async fn status_prompt(offsets: Arc<Offsets>) {
    let stdin = std::io::stdin();
    let mut cmd = String::new();
    while stdin.read_line(&mut cmd).is_ok() { //~ stdio
        if cmd.trim() == "status" {
            let n = offsets.map.lock().map(|m| m.len()).unwrap_or(0); //~ lock
            println!("{n} files tracked");
        }
        cmd.clear();
    }
}

fn main() -> std::io::Result<()> {
    let offsets = Arc::new(Offsets { path: "offsets.tsv".into(), map: Mutex::default() });
    let files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    smol::block_on(async { //~ ok(block_on)
        let (tx, rx) = bounded(10_000);
        for f in files.clone() {
            smol::spawn(tail(f, offsets.clone(), tx.clone())).detach();
        }
        smol::spawn(status_prompt(offsets.clone())).detach();
        let pending: Vec<String> = files.iter().filter(|p| p.exists()).map(|p| p.display().to_string()).collect(); //~ fs
        if let Err(e) = ship(rx, "collector:5140", offsets.clone()).await {
            eprintln!("shipping failed: {e}");
            fallback_ship(pending, "collector:5141").await?;
            let _ = futures_lite::future::block_on(Timer::after(Duration::from_secs(1))); //~ block_on
        }
        Ok(())
    })
}
