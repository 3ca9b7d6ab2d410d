// A chat relay mixing std I/O with tokio: stdin in its many spellings,
// receivers consumed by `for`, statics behind locks, and local items whose
// names collide with std ones.
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

static ROOMS: Mutex<Vec<String>> = Mutex::new(Vec::new());
static USERS: LazyLock<Mutex<HashMap<u64, String>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

pub struct Renderer;
impl Renderer {
    pub fn output(&self) -> String {
        String::new()
    }
    pub fn status(&self) -> u8 {
        0
    }
}

pub struct Handshake;
impl Handshake {
    pub fn accept(&self) -> bool {
        true
    }
}

fn sleep(ticks: u64) -> u64 {
    ticks * 2
}

pub async fn read_stdin_many_ways() -> std::io::Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?; //~ stdio
    let mut buf = [0u8; 16];
    let n = std::io::stdin().read(&mut buf)?; //~ stdio
    let mut reader = BufReader::new(std::io::stdin());
    reader.read_line(&mut s)?; //~ stdio
    let all = std::io::read_to_string(std::io::stdin())?; //~ stdio
    let stdin = std::io::stdin();
    let mut handle = stdin.lock();
    handle.read_line(&mut s)?; //~ stdio
    Ok(format!("{s}{n}{all}"))
}

pub async fn relay(rx: std::sync::mpsc::Receiver<String>, out: tokio::sync::mpsc::Sender<String>) {
    for msg in rx { //~ channel
        out.send(msg).await.ok(); //~ ok(channel)
    }
}

pub async fn relay_ref(rx: &std::sync::mpsc::Receiver<String>) -> usize {
    let mut n = 0;
    for msg in rx.iter().take(10) { //~ channel
        n += msg.len();
    }
    n
}

pub async fn statics(id: u64) -> usize {
    ROOMS.lock().unwrap().push(format!("room{id}")); //~ lock
    let users = USERS.lock().unwrap(); //~ lock
    users.len()
}

pub async fn lookalike_methods(r: &Renderer, h: &Handshake, client: &reqwest::Client) -> String {
    let text = r.output(); //~ ok(process)
    let code = r.status(); //~ ok(process)
    let accepted = h.accept(); //~ ok(net)
    let resp = client.get("http://x/").send().await.unwrap();
    let status = resp.status(); //~ ok(process)
    let ticks = sleep(3); //~ ok(sleep)
    format!("{text}{code}{accepted}{status}{ticks}")
}

pub async fn local_names() -> usize {
    let fs = HashMap::<String, Vec<u8>>::new();
    let data = fs.get("a").cloned().unwrap_or_default();
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("main").len();
    data.len() + name
}

pub async fn sockets(host: &str) -> std::io::Result<usize> {
    let addr: SocketAddr = "10.0.0.1:80".parse().unwrap(); //~ ok(dns)
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(1))?; //~ net
    s.set_read_timeout(Some(Duration::from_millis(100)))?; //~ ok(net)
    let mut peekbuf = [0u8; 4];
    let n = s.peek(&mut peekbuf)?; //~ net
    let resolved = format!("{host}:443").to_socket_addrs()?.count(); //~ dns
    let tokio_stream = tokio::net::TcpStream::from_std(s)?; //~ ok(net)
    drop(tokio_stream);
    Ok(n + resolved)
}

pub async fn std_to_tokio_file(p: &std::path::Path) -> std::io::Result<u64> {
    let f = tokio::fs::File::from_std(std::fs::File::open(p)?); //~ fs
    let std_file = f.into_std().await; //~ ok(fs)
    std_file.set_len(0)?; //~ miss(fs)
    let t = tokio::fs::File::from_std(std_file);
    Ok(t.metadata().await?.len()) //~ ok(fs)
}
