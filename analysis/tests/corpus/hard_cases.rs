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

/// A job kept for later: written here, run wherever it is called.
pub struct Waiter {
    pub wait: Box<dyn FnOnce() -> i32 + Send>,
    pub on_line: Box<dyn Fn(&str) + Send>,
}

pub async fn build_waiter(rx: mpsc::Receiver<i32>, log: std::path::PathBuf) -> Waiter {
    let mut w = Waiter {
        wait: Box::new(move || rx.recv().unwrap_or(0)), //~ ok(channel)
        on_line: Box::new(|_| ()),
    };
    w.on_line = Box::new(move |l| drop(std::fs::write(&log, l))); //~ ok(fs)
    w
}

pub async fn run_waiter(w: Waiter) -> i32 {
    tokio::task::spawn_blocking(w.wait).await.unwrap_or(0)
}

pub async fn waits_here(rx: mpsc::Receiver<i32>) -> i32 {
    let wait = Box::new(move || rx.recv().unwrap_or(0)); //~ channel
    wait()
}

pub async fn waits_inline(rx: mpsc::Receiver<i32>) -> i32 {
    Some(1).map(|_| rx.recv().unwrap_or(0)).unwrap_or(0) //~ channel
}

pub fn job_queue(queue: &mut Vec<Box<dyn FnOnce() + Send>>, p: std::path::PathBuf) {
    queue.push(Box::new(move || drop(std::fs::read(p))));
}

pub async fn enqueue(p: std::path::PathBuf) -> Vec<Box<dyn FnOnce() + Send>> {
    let mut queue = Vec::new();
    job_queue(&mut queue, p); //~ ok(fs)
    queue
}

pub fn make_reader(p: std::path::PathBuf) -> impl Fn() -> Vec<u8> {
    move || std::fs::read(&p).unwrap_or_default() //~ ok(fs)
}

pub async fn uses_reader(p: std::path::PathBuf) -> usize {
    let read = make_reader(p); //~ ok(fs)
    read().len() //~ miss(fs)
}
