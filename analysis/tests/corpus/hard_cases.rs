// Harder cases: helpers, unknown types, macros the walker cannot read.
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{mpsc, Mutex, RwLock};
use std::time::Duration;

pub struct Parser;
impl Parser {
    pub fn recv(&self) -> Result<u8, ()> {
        Ok(1)
    }
}

pub struct Config {
    path: std::path::PathBuf,
}
impl Config {
    pub fn exists(&self) -> bool {
        true
    }
}

pub struct Service {
    state: Mutex<u64>,
    table: RwLock<Vec<u64>>,
}

impl Service {
    fn state(&self) -> &Mutex<u64> {
        &self.state
    }

    pub async fn bump(&self) -> u64 {
        let mut g = self.state().lock().unwrap(); //~ lock
        *g += 1;
        let t = self.table.read().unwrap(); //~ lock
        *g + t.len() as u64
    }
}

fn subscribe() -> mpsc::Receiver<u64> {
    mpsc::channel().1
}

fn decoder() -> Decoder {
    Decoder
}

pub async fn helpers_and_unknown_types(p: &Parser, cfg: &Config) {
    let b = p.recv().unwrap(); //~ ok(channel)
    if cfg.exists() {} //~ ok(fs)
    let events = subscribe();
    while let Ok(ev) = events.recv() { //~ channel
        drop(ev);
    }
    let d = decoder();
    let frame = d.recv().unwrap(); //~ ok(channel)
    drop((b, frame));
}

pub async fn file_handles(p: &Path) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(p)?; //~ fs
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?; //~ fs
    let mut out = std::fs::File::create(p.with_extension("bak"))?; //~ fs
    out.write_all(&buf)?; //~ fs
    if p.exists() { //~ fs
        buf.clear();
    }
    if let Ok(m) = std::fs::metadata(p) { //~ fs
        drop(m);
    }
    Ok(buf)
}

pub async fn in_macros(p: &Path) {
    log::info!("{}", std::fs::read_to_string(p).unwrap()); //~ fs
    tracing::info!(size = ?std::fs::metadata(p), "stat"); //~ fs
    assert!(matches!(std::fs::metadata(p), Ok(_))); //~ fs
    let s = format!("{:?}", std::thread::sleep(Duration::from_millis(1))); //~ sleep
    drop(s);
}

pub async fn block_level_use() {
    use std::thread;
    thread::sleep(Duration::from_millis(1)); //~ sleep
}

pub async fn closures() {
    let work = || std::fs::read("x"); //~ fs
    let data = work();
    let later = async |d: Duration| std::thread::sleep(d); //~ sleep
    later(Duration::from_millis(1)).await;
    let job = move || std::fs::read("y"); //~ ok(fs)
    let bytes = tokio::task::spawn_blocking(job).await;
    let inplace = tokio::task::block_in_place(|| std::fs::read("z")); //~ ok(fs)
    drop((data, bytes, inplace));
}

pub fn sync_spawner() {
    tokio::spawn(async move {
        std::thread::sleep(Duration::from_millis(1)); //~ sleep
    });
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(1)); //~ ok(sleep)
    });
}

pub async fn dns(addr: String) -> usize {
    use std::net::ToSocketAddrs;
    addr.to_socket_addrs().map(|a| a.count()).unwrap_or(0) //~ dns
}

pub struct Decoder;
impl Decoder {
    pub fn recv(&self) -> Result<u8, ()> {
        Ok(0)
    }
}
