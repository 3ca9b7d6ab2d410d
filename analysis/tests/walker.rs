//! The walker over source strings: what it reports, and what it must not.

use pollguard_analysis::{Config, Level, Options, analyze_file};

/// `(line, code, call, confidence)` of each finding.
fn scan_with(src: &str, config: &Config) -> Vec<(usize, &'static str, String, &'static str)> {
    let file = syn::parse_file(src).expect("test source parses");
    let analysis = analyze_file(&file, &Options::new(config));
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    analysis
        .findings
        .iter()
        .map(|f| {
            (
                f.span.start().line,
                f.rule.code,
                f.call.clone(),
                f.confidence.name(),
            )
        })
        .collect()
}

fn scan(src: &str) -> Vec<(usize, &'static str, String, &'static str)> {
    scan_with(src, &Config::new())
}

fn codes(src: &str) -> Vec<&'static str> {
    scan(src).into_iter().map(|f| f.1).collect()
}

#[test]
fn rayon_waits_for_its_pool() {
    let src = r#"
async fn handler(pool: rayon::ThreadPool, v: Vec<u64>) -> u64 {
    let (a, b) = rayon::join(|| v.len(), || v.iter().sum::<u64>());
    let c = pool.install(|| v.len());
    rayon::scope(|s| s.spawn(|_| ()));
    let d = tokio::task::spawn_blocking(move || rayon::join(|| 1, || 2)).await.unwrap();
    a as u64 + b + c as u64 + d.0
}
"#;
    assert_eq!(codes(src), ["PG191", "PG191", "PG191"]);
}

#[test]
fn a_rayon_parallel_iterator_run_to_its_end_is_one_wait() {
    let src = r#"
use rayon::prelude::*;
fn total(v: &[u64]) -> u64 {
    v.par_iter().map(|x| x * 2).sum()
}
async fn handler(mut v: Vec<u64>) -> u64 {
    let n = v.par_iter().fold(|| 0, |a, b| a + b).reduce(|| 0, |a, b| a + b);
    v.par_sort_unstable();
    let lazy = v.par_iter().map(|x| x + 1);
    let seq: u64 = v.iter().sum();
    let t = tokio::task::spawn_blocking(move || v.par_iter().sum::<u64>()).await.unwrap();
    n + total(&[1]) + seq + t
}
"#;
    assert_eq!(direct_and_transitive_lines(src), (vec![7, 8], vec![12]));
}

#[test]
fn forum_program() {
    let src = r#"
#[tokio::main(flavor = "multi_thread", worker_threads = 10)]
async fn main() {
    let handle = tokio::runtime::Handle::current();
    let task1 = handle.spawn(async {
        let handle = tokio::runtime::Handle::current();
        let task2 = handle.spawn(async {
            std::thread::sleep(std::time::Duration::from_secs(5));
        });
        std::thread::sleep(std::time::Duration::from_secs(5));
        task2.await.unwrap();
    });
    std::thread::sleep(std::time::Duration::from_secs(5));
    task1.await.unwrap();
}
"#;
    let found = scan(src);
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(sorted, vec![8, 10, 13]);
    assert!(
        found
            .iter()
            .all(|f| f.1 == "PG101" && f.2 == "std::thread::sleep" && f.3 == "certain")
    );
}

#[test]
fn sync_code_is_not_reported() {
    assert!(
        codes("fn main() { std::thread::sleep(d); let s = std::fs::read_to_string(p).unwrap(); }")
            .is_empty()
    );
}

#[test]
fn aliases_globs_and_groups() {
    let src = r#"
use std::thread::sleep as nap;
use std::fs::{self, File};
use std::io::*;
use std::net::*;
async fn a() {
    nap(d);
    let s = fs::read_to_string("x")?;
    let f = File::open("x")?;
    let c = TcpStream::connect("x:1")?;
}
"#;
    let found = scan(src);
    let calls: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(
        calls,
        [
            "std::thread::sleep",
            "std::fs::read_to_string",
            "std::fs::File::open",
            "std::net::TcpStream::connect"
        ]
    );
}

#[test]
fn tokio_names_are_not_std() {
    let src = r#"
use tokio::time::sleep;
use tokio::fs::{self, File};
async fn a() {
    sleep(d).await;
    let s = fs::read_to_string("x").await?;
    let f = File::open("x").await?;
    let g = tokio::fs::File::create("y").await?;
}
"#;
    assert!(codes(src).is_empty());
}

#[test]
fn local_modules_and_items_shadow_std() {
    let src = r#"
mod fs { pub fn read(_: &str) -> Vec<u8> { vec![] } }
fn sleep(_: u64) {}
async fn a() {
    let v = fs::read("x");
    sleep(3);
}
"#;
    assert!(codes(src).is_empty());
}

#[test]
fn offloaded_closures_are_sync_and_inline_closures_are_async() {
    let src = r#"
async fn a(paths: Vec<PathBuf>) {
    tokio::task::spawn_blocking(move || std::fs::read("x")).await.unwrap();
    std::thread::spawn(|| std::thread::sleep(d));
    let job = move || std::fs::read("y");
    tokio::task::spawn_blocking(job).await.unwrap();
    let all: Vec<_> = paths.iter().map(|p| std::fs::read(p)).collect();
    let mut set = tokio::task::JoinSet::new();
    set.spawn_blocking_on(move || std::fs::read("z"), &handle);
}
"#;
    let found = scan(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 7);
}

#[test]
fn async_blocks_in_sync_fns() {
    let src = r#"
fn start() {
    std::thread::sleep(d);
    tokio::spawn(async move {
        std::thread::sleep(d);
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async { std::fs::remove_file("x").unwrap() });
}
"#;
    let found = scan(src);
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [5, 8]);
}

#[test]
fn channels_by_type_and_by_shape() {
    let src = r#"
use std::sync::mpsc;
async fn typed() {
    let (tx, rx) = mpsc::channel::<u32>();
    let v = rx.recv().unwrap();
    for m in rx.iter() {}
}
async fn shaped(rx: Receiver<u32>, trx: &mut tokio::sync::mpsc::Receiver<u32>) {
    let v = rx.recv()?;
    let w = trx.recv().await;
    tokio::select! { m = rx.recv() => {}, }
    let t = tokio::time::timeout(d, rx.recv()).await;
}
"#;
    let found = scan(src);
    let summary: Vec<(usize, &str, &str)> = found.iter().map(|f| (f.0, f.1, f.3)).collect();
    assert_eq!(
        summary,
        [
            (5, "PG181", "certain"),
            (6, "PG181", "certain"),
            (9, "PG181", "likely")
        ]
    );
}

#[test]
fn lookalike_methods() {
    let src = r#"
async fn a(path: &Path, v: Vec<String>, h: std::thread::JoinHandle<()>) {
    let p = path.join("x");
    let s = v.join(",");
    h.join().unwrap();
}
"#;
    let found = scan(src);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1, "PG191");
}

#[test]
fn locks_are_allowed_by_default_and_can_be_denied() {
    let src = r#"
use std::sync::{Arc, Mutex};
async fn a(m: Arc<Mutex<u32>>, t: Arc<tokio::sync::Mutex<u32>>) {
    *m.lock().unwrap() += 1;
    *t.lock().await += 1;
}
"#;
    assert!(codes(src).is_empty());
    let mut cfg = Config::new();
    cfg.set_level("lock", Level::Deny).unwrap();
    let found = scan_with(src, &cfg);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].0, found[0].2.as_str()),
        (4, "std::sync::Mutex::lock")
    );
}

#[test]
fn macro_arguments() {
    let src = r#"
async fn a() {
    println!("{}", std::fs::read_to_string("x").unwrap());
    let v = vec![std::fs::read("y").unwrap(); 2];
    assert!(std::path::Path::new("z").exists());
    tokio::join!(tokio::fs::read("a"), tokio::fs::read("b"));
    weird!(this is not => an expression);
    let s = "std::thread::sleep(d)";
    // std::thread::sleep(d);
}
"#;
    let lines: Vec<usize> = scan(src).iter().map(|f| f.0).collect();
    assert_eq!(lines, [3, 4, 5]);
}

#[test]
fn process_stdio_block_on_and_tokio_blocking() {
    let src = r#"
use std::process::Command;
async fn a(rt: &tokio::runtime::Runtime, rx: &mut tokio::sync::mpsc::Receiver<u8>) {
    let out = Command::new("ls").arg("-l").output()?;
    let mut s = String::new();
    std::io::stdin().read_line(&mut s)?;
    rt.block_on(async {});
    futures::executor::block_on(async {});
    let m = rx.blocking_recv();
    let addrs = ("example.com", 443).to_socket_addrs()?;
    let body = reqwest::blocking::get("http://x")?.text()?;
}
"#;
    assert_eq!(
        codes(src),
        [
            "PG141", "PG151", "PG161", "PG161", "PG171", "PG131", "PG201"
        ]
    );
}

/// An address written out needs no resolver: std parses an IP and port
/// (`"10.0.0.1:53"`, `("::1", 8080)`, a `SocketAddr`) before it would ask
/// one; a host name, or a string built at run time, is resolved.
#[test]
fn written_out_addresses_are_not_resolved() {
    let src = r#"
use std::net::{SocketAddr, ToSocketAddrs};
async fn a(host: &str, addr: SocketAddr) {
    let _ = "127.0.0.1:8080".to_socket_addrs();
    let _ = ("::1", 8080).to_socket_addrs();
    let _ = addr.to_socket_addrs();
    let _ = (addr.ip(), 53).to_socket_addrs();
    let _ = "localhost:8080".to_socket_addrs();
    let _ = (host, 443).to_socket_addrs();
    let _ = ("10.0.0.1", 443, 1).to_socket_addrs();
}
"#;
    let file = syn::parse_file(src).unwrap();
    let config = Config::new();
    let lines: Vec<usize> = analyze_file(&file, &Options::new(&config))
        .findings
        .iter()
        .map(|f| f.span.start().line)
        .collect();
    assert_eq!(lines, [8, 9, 10]);
}

#[test]
fn escape_hatches() {
    let src = r#"
async fn a() {
    #[pollguard::allow_blocking("startup, before serving")]
    std::thread::sleep(d);
    #[allow_blocking(fs, "tiny file")]
    let s = std::fs::read_to_string("x").unwrap();
    #[allow_blocking(fs, "tiny file")]
    std::thread::sleep(d);
}
#[pollguard::allow_blocking("a cli entry point")]
async fn b() { std::thread::sleep(d); }
"#;
    let file = syn::parse_file(src).unwrap();
    let cfg = Config::new();
    let analysis = analyze_file(&file, &Options::new(&cfg));
    let lines: Vec<usize> = analysis
        .findings
        .iter()
        .map(|f| f.span.start().line)
        .collect();
    assert_eq!(lines, [8]);
    assert_eq!(analysis.hatches.len(), 4);
    assert_eq!(analysis.hatches.iter().filter(|h| !h.used).count(), 1);
}

#[test]
fn hatch_without_reason_is_an_error() {
    let file =
        syn::parse_file("async fn a() { #[pollguard::allow_blocking] std::thread::sleep(d); }")
            .unwrap();
    let cfg = Config::new();
    let analysis = analyze_file(&file, &Options::new(&cfg));
    assert_eq!(analysis.errors.len(), 1);
    assert_eq!(analysis.findings.len(), 1);
}

#[test]
fn user_paths_and_marked_fns() {
    let src = r#"
mod db {
    #[pollguard::blocking]
    pub fn query(_: &str) {}
}
use db::query;
async fn a() {
    query("select 1");
    legacy::fetch_all();
}
"#;
    let mut cfg = Config::new();
    cfg.extra_blocking.push(pollguard_analysis::ExtraBlocking {
        path: "legacy::fetch_all".into(),
        help: Some("use `legacy::fetch_all_async`".into()),
    });
    let found = scan_with(src, &cfg);
    let calls: Vec<(&str, &str)> = found.iter().map(|f| (f.1, f.2.as_str())).collect();
    assert_eq!(
        calls,
        [
            ("PG901", "crate::db::query"),
            ("PG901", "legacy::fetch_all")
        ]
    );
}

#[test]
fn unresolved_heads_match_by_suffix_when_consumed() {
    // What the attribute on one fn sees: the module's `use` lines are invisible.
    let src = r#"
async fn a() {
    thread::sleep(d);
    sleep(d);
    let s = fs::read_to_string("x")?;
    let f = fs::read("y");
    sleep(d).await;
}
"#;
    let found = scan(src);
    let summary: Vec<(usize, &str)> = found.iter().map(|f| (f.0, f.3)).collect();
    assert_eq!(summary, [(3, "likely"), (4, "likely"), (5, "likely")]);
}

#[test]
fn struct_fields_give_types() {
    let src = r#"
use std::sync::mpsc::Receiver;
struct Worker { rx: Receiver<u8>, path: std::path::PathBuf }
impl Worker {
    async fn run(&self) {
        let m = self.rx.recv();
        if self.path.exists() {}
    }
}
"#;
    let found = scan(src);
    let summary: Vec<(usize, &str)> = found.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(summary, [(6, "PG181"), (7, "PG113")]);
}

#[test]
fn async_trait_rewritten_bodies() {
    let src = r#"
impl Store for Disk {
    fn get<'a>(&'a self, k: &'a str) -> Pin<Box<dyn Future<Output = Vec<u8>> + Send + 'a>> {
        Box::pin(async move { std::fs::read(k).unwrap() })
    }
}
"#;
    assert_eq!(codes(src), ["PG111"]);
}

#[test]
fn own_offloader_wrappers() {
    let src = r#"
pub(crate) async fn asyncify<F, T>(f: F) -> std::io::Result<T>
where F: FnOnce() -> std::io::Result<T> + Send + 'static, T: Send + 'static {
    match tokio::task::spawn_blocking(f).await { Ok(r) => r, Err(_) => unreachable!() }
}
pub async fn read(path: PathBuf) -> std::io::Result<Vec<u8>> {
    asyncify(move || std::fs::read(path)).await
}
pub async fn not_offloaded(path: PathBuf) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}
"#;
    let lines: Vec<usize> = scan(src).iter().map(|f| f.0).collect();
    assert_eq!(lines, [10]);
    let file = syn::parse_file(src).unwrap();
    let cfg = Config::new();
    assert_eq!(
        *analyze_file(&file, &Options::new(&cfg)).offloaders,
        ["crate::asyncify"]
    );
}

#[test]
fn test_code_can_be_skipped() {
    let src = r#"
async fn real() { std::thread::sleep(d); }
#[tokio::test]
async fn a_test() { std::thread::sleep(d); }
#[cfg(test)]
mod tests {
    async fn helper() { std::thread::sleep(d); }
}
"#;
    assert_eq!(scan(src).len(), 3);
    let mut cfg = Config::new();
    cfg.skip_tests = true;
    let lines: Vec<usize> = scan_with(src, &cfg).iter().map(|f| f.0).collect();
    assert_eq!(lines, [2]);
}

#[test]
fn process_output_without_a_visible_import() {
    // The attribute on one fn does not see `use std::process::Command;`.
    let src = r#"
async fn a() {
    let out = Command::new("ls").output()?;
    let ok = Command::new("ls").output().await?;
    let st = Command::new("ls").status()?;
}
"#;
    let found = scan(src);
    let summary: Vec<(usize, &str, &str)> = found.iter().map(|f| (f.0, f.1, f.3)).collect();
    assert_eq!(summary, [(3, "PG141", "likely")]);
}

#[test]
fn tuple_patterns_keep_the_types_of_their_parts() {
    // `accept()` returns `(TcpStream, SocketAddr)`: `conn` is a std socket.
    let src = r#"
async fn serve(listener: std::net::TcpListener) -> std::io::Result<()> {
    let (mut conn, _) = listener.accept()?;
    conn.write_all(b"hello")?;
    Ok(())
}
"#;
    let codes: Vec<(usize, &str)> = scan(src).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(codes, [(3, "PG122"), (4, "PG122")]);
}

#[test]
fn a_leading_colon_belongs_to_the_call() {
    let file = syn::parse_file("async fn a() {\n    ::std::thread::sleep(d);\n}\n").unwrap();
    let cfg = Config::new();
    let analysis = analyze_file(&file, &Options::new(&cfg));
    let at: Vec<(usize, usize)> = analysis
        .findings
        .iter()
        .map(|f| (f.span.start().line, f.span.start().column))
        .collect();
    assert_eq!(at, [(2, 4)]);
}

#[test]
fn closures_handed_to_the_codes_own_fns_are_marked() {
    // `asyncify` lives in another file: the finding records whose closure it is in.
    let src = r#"
use crate::fs::asyncify;
pub async fn copy(a: PathBuf, b: PathBuf) -> std::io::Result<u64> {
    asyncify(move || std::fs::copy(a, b)).await
}
pub async fn inline(paths: Vec<PathBuf>) {
    let v: Vec<_> = paths.iter().map(|p| std::fs::read(p)).collect();
}
"#;
    let file = syn::parse_file(src).unwrap();
    let cfg = Config::new();
    let analysis = analyze_file(&file, &Options::new(&cfg));
    let owners: Vec<Option<&str>> = analysis
        .findings
        .iter()
        .map(|f| f.inside_closure_of.as_deref())
        .collect();
    assert_eq!(owners, [Some("crate::fs::asyncify"), None]);
}

#[test]
fn hand_written_poll_fns_run_on_the_executor() {
    // Nothing is awaited in `poll`, so only certain matches count there.
    let src = r#"
impl Future for ReadOnce {
    type Output = Vec<u8>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<u8>> {
        let maybe = self.inner.output().unwrap();
        Poll::Ready(std::fs::read(&self.path).unwrap())
    }
}
impl Drop for ReadOnce {
    fn drop(&mut self) { std::fs::remove_file(&self.path).ok(); }
}
"#;
    let lines: Vec<(usize, &str)> = scan(src).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(lines, [(6, "PG111")]);
}

#[test]
fn nonblocking_sockets_and_unbounded_senders_do_not_block() {
    let src = r#"
async fn tick(sock: std::net::UdpSocket, blocking: std::net::UdpSocket) {
    sock.set_nonblocking(true).unwrap();
    let mut buf = [0u8; 64];
    let a = sock.recv_from(&mut buf);
    let b = blocking.recv_from(&mut buf);
    let (tx, _rx) = crossbeam_channel::unbounded::<u8>();
    tx.send(1).unwrap();
    let (btx, _brx) = crossbeam_channel::bounded::<u8>(1);
    btx.send(1).unwrap();
}
"#;
    let lines: Vec<(usize, &str)> = scan(src).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(lines, [(6, "PG122"), (10, "PG182")]);
}

#[test]
fn types_through_aliases_results_and_match_arms() {
    let src = r#"
use std::sync::{Arc, Mutex};
type Peers = Arc<Mutex<Vec<u8>>>;
async fn a(peers: Peers, listener: std::net::TcpListener, p: &std::path::Path) {
    peers.lock().unwrap().push(1);
    let mut f = std::fs::File::create(p).map_err(|e| e.to_string())?;
    f.write_all(b"x").ok();
    match listener.accept() {
        Ok((mut sock, _)) => { sock.write_all(b"hi").ok(); }
        Err(_) => {}
    }
    if let Ok(mut child) = std::process::Command::new("x").spawn() { let _ = child.wait(); }
}
"#;
    let mut cfg = Config::new();
    cfg.set_level("lock", Level::Deny).unwrap();
    let lines: Vec<(usize, &str)> = scan_with(src, &cfg).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        lines,
        [
            (5, "PG211"),
            (6, "PG112"),
            (7, "PG112"),
            (8, "PG122"),
            (9, "PG122"),
            (12, "PG141")
        ]
    );
}

#[test]
fn sync_database_clients() {
    let src = r#"
use diesel::prelude::*;
async fn handler(pool: r2d2::Pool<M>, hits: &std::sync::atomic::AtomicU64) -> usize {
    let mut conn = pool.get().unwrap();
    let rows: Vec<User> = users::table.load(&mut conn).unwrap();
    let async_rows: Vec<User> = users::table.load(&mut aconn).await.unwrap();
    match hits.load(std::sync::atomic::Ordering::Relaxed) { 0 => {}, _ => {} }
    let db = rusqlite::Connection::open("app.db").unwrap();
    let client = redis::Client::open("redis://localhost").unwrap();
    let mut con = client.get_connection().unwrap();
    let pong: String = redis::cmd("PING").query(&mut con).unwrap();
    let apong: String = redis::cmd("PING").query_async(&mut acon).await.unwrap();
    rows.len()
}
"#;
    let lines: Vec<(usize, &str)> = scan(src).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        lines,
        [
            (4, "PG221"),
            (5, "PG221"),
            (8, "PG221"),
            (10, "PG221"),
            (11, "PG221")
        ]
    );
}

#[test]
fn locks_remember_what_they_guard_and_trait_objects_keep_their_trait() {
    let src = r#"
use std::sync::{Arc, Mutex};
type Db = Arc<Mutex<rusqlite::Connection>>;
struct Ports { port: Mutex<Box<dyn serialport::SerialPort>> }
async fn a(db: Db, ports: &Ports) -> rusqlite::Result<i64> {
    let conn = db.lock().unwrap();
    let n = conn.query_row("select 1", [], |r| r.get(0))?;
    ports.port.lock().unwrap().write_all(b"x").ok();
    Ok(n)
}
"#;
    let lines: Vec<(usize, &str)> = scan(src).iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(lines, [(7, "PG221"), (8, "PG111")]);
}

#[test]
fn fs_err_is_std_fs_with_better_errors() {
    let src = r#"
use fs_err::File;
async fn load(p: &str) {
    let text = fs_err::read_to_string(p).unwrap();
    let f = File::open(p).unwrap();
    fs_err::create_dir_all("cache").unwrap();
    let t = fs_err::tokio::read_to_string(p).await.unwrap();
}
"#;
    let got: Vec<(usize, String)> = scan(src).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(
        got,
        [
            (4, "std::fs::read_to_string".to_owned()),
            (5, "std::fs::File::open".to_owned()),
            (6, "std::fs::create_dir_all".to_owned()),
        ]
    );
}

#[test]
fn the_codes_own_value_built_from_a_file_is_judged_by_its_methods() {
    let src = r#"
struct Summary { n: usize }
impl Summary {
    fn from_file(_f: &std::fs::File) -> Summary { Summary { n: 0 } }
    fn count(&self) -> usize { self.n }
}
async fn handler(p: &str) {
    let f = std::fs::File::open(p).unwrap();
    let s = Summary::from_file(&f);
    let n = s.count();
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, [(8, "PG112")]);
}

#[test]
fn opening_a_device_node_waits_for_no_disk() {
    let src = r#"
use std::io::Read;
async fn term() {
    let tty = std::fs::File::open("/dev/tty").unwrap();
    let rw = std::fs::OpenOptions::new().read(true).open("/dev/tty").unwrap();
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let mut line = String::new();
    let mut t = std::fs::File::open("/dev/tty").unwrap();
    t.read_to_string(&mut line).unwrap();
    let typed = std::fs::read_to_string("/dev/stdin").unwrap();
    let disk = std::fs::File::open("/var/log/app.log").unwrap();
}
"#;
    let got: Vec<(usize, String)> = scan(src).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(
        got,
        [
            (6, "std::fs::read_to_string".to_owned()),
            (9, "std::fs::File::read_to_string".to_owned()),
            (10, "std::fs::read_to_string".to_owned()),
            (11, "std::fs::File::open".to_owned()),
        ]
    );
}

#[test]
fn file_options_is_reported_once_at_its_open() {
    let src = r#"
async fn open(p: &str) {
    let a = std::fs::File::options().append(true).open(p).unwrap();
    let tty = std::fs::File::options().read(true).write(true).open("/dev/tty").unwrap();
}
"#;
    let got: Vec<(usize, String)> = scan(src).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(got, [(3, "std::fs::OpenOptions::open".to_owned())]);
}

/// `if cfg!(test) { return .. }` ends a fn in the crate's test build: its
/// unit tests do not reach what comes after, its other callers do.
#[test]
fn unit_tests_do_not_reach_what_a_test_build_skips() {
    let src = r#"
fn load() -> u32 {
    if cfg!(test) {
        return 0;
    }
    read_args()
}
fn read_args() -> u32 {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    line.len() as u32
}
fn pick() -> u32 {
    if !cfg!(test) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    1
}
async fn serve() {
    load();
    pick();
}
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn loads() {
        super::load();
        super::pick();
        super::read_args();
    }
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    // `serve` reaches both; the test only `read_args`, called directly.
    assert_eq!(lines, [20, 21, 29]);
}

/// A test builds its own inputs, and optional settings are off unless it
/// turns them on: what a helper does only when a setting is given is not
/// reached from a test, but is from the code that serves.
#[test]
fn tests_do_not_reach_what_optional_settings_enable() {
    let src = r#"
struct Config { acl: Option<String>, tls: bool, name: String }
fn load(c: &Config) -> usize {
    if let Some(path) = &c.acl {
        return std::fs::read(path).map(|b| b.len()).unwrap_or(0);
    }
    if c.tls {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    c.name.len()
}
fn always(c: &Config) -> usize {
    std::fs::read(&c.name).map(|b| b.len()).unwrap_or(0)
}
async fn serve(c: Config) {
    load(&c);
}
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn loads() {
        let c = super::Config { acl: None, tls: false, name: String::new() };
        super::load(&c);
        super::always(&c);
    }
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    // `serve` reaches `load`'s reads; the test only `always`'s.
    assert_eq!(lines, [16, 24]);
}

/// The lines of the direct findings in `src`, and of the transitive ones
/// (sorted), with `src` the whole crate.
fn direct_and_transitive_lines(src: &str) -> (Vec<usize>, Vec<usize>) {
    let config = Config::new();
    let file = syn::parse_file(src).unwrap();
    let analysis = analyze_file(&file, &Options::new(&config));
    let direct = analysis
        .findings
        .iter()
        .map(|f| f.span.start().line)
        .collect();
    let unit = pollguard_analysis::transitive::Unit {
        krate: "crate",
        file: &analysis,
        config: &config,
        dependency: false,
        kind: pollguard_analysis::transitive::CrateKind::Other,
        test: false,
    };
    let (found, _) = pollguard_analysis::transitive::findings(&[unit]);
    let mut lines: Vec<usize> = found.iter().map(|f| f.finding.span.start().line).collect();
    lines.sort_unstable();
    (direct, lines)
}

/// A fn named as a combinator's argument is called by it: `.map(std::fs::read)`
/// reads a file, `.and_then(load)` runs `load`; a local closure variable
/// passed the same way is walked where it is written instead.
#[test]
fn fns_passed_to_combinators_are_calls() {
    let src = r#"
fn load(p: String) -> std::io::Result<String> {
    std::fs::read_to_string(p)
}
async fn f(path: Option<String>) {
    let _ = path.clone().map(std::fs::read);
    let _ = path.clone().ok_or(()).map_err(|_| ()).and_then(|p| load(p).map_err(|_| ()));
    let _ = Some(String::new()).map(load);
    let double = |n: u32| n * 2;
    let _ = Some(1).map(double);
}
"#;
    let (direct, indirect) = direct_and_transitive_lines(src);
    assert_eq!(direct, [6]);
    assert_eq!(indirect, [7, 8]);
}

#[test]
fn consts_and_statics_carry_their_types() {
    let src = r#"
use std::sync::LazyLock;
static CLIENT: LazyLock<reqwest::blocking::Client> = LazyLock::new(reqwest::blocking::Client::new);
static FAST: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);
mod net {
    pub const PEER: &str = "192.168.1.20:7000";
    pub const NAMED: &str = "peer.local:7000";
}
async fn handler() {
    let _ = CLIENT.get("http://x").send();
    let _ = FAST.get("http://x").send().await;
    let _ = std::net::ToSocketAddrs::to_socket_addrs(&net::NAMED);
    let _ = net::PEER.to_socket_addrs();
    let _ = net::NAMED.to_socket_addrs();
    let local = "10.1.1.1:80";
    let _ = local.to_socket_addrs();
}
"#;
    let found: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(found, vec![(10, "PG201"), (12, "PG131"), (14, "PG131")]);
}

/// A call on a `dyn Trait` goes to the crate's one impl of it (test
/// doubles under `#[cfg(test)]` aside); with several impls, which one a
/// value holds is not followed. A value's own type says more than the
/// trait it is declared as.
#[test]
fn trait_objects_reach_the_one_impl() {
    let src = r#"
pub trait Store {
    fn put(&self, k: &str);
}
pub struct FileStore;
impl Store for FileStore {
    fn put(&self, k: &str) {
        std::fs::write(k, b"").unwrap();
    }
}
#[cfg(test)]
mod tests {
    pub struct Mock;
    impl super::Store for Mock {
        fn put(&self, _: &str) {}
    }
}
pub trait Sink {
    fn emit(&self, line: &str);
}
#[derive(Default)]
pub struct FileSink;
impl Sink for FileSink {
    fn emit(&self, line: &str) {
        std::fs::write("sink.log", line).unwrap();
    }
}
pub struct NullSink;
impl Sink for NullSink {
    fn emit(&self, _: &str) {}
}
async fn handler(store: Box<dyn Store>, sink: &dyn Sink) {
    store.put("k");
    sink.emit("x");
    let quiet: Box<dyn Sink> = Box::new(NullSink);
    quiet.emit("y");
    let loud: Box<dyn Sink> = Box::new(FileSink::default());
    loud.emit("z");
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [33, 38]);
}

/// A call that passes `None` or `false` where the callee needs the
/// parameter before it blocks does not reach that: `edit(key, None)` never
/// opens the editor, `edit(key, Some(t))` does; `Checker::new(false)` builds
/// no index. Through a path call of a method (`Input::edit(&mut i, k,
/// None)`) the receiver comes first.
#[test]
fn literal_none_and_false_arguments_turn_off_what_they_gate() {
    let src = r#"
pub struct Term;
pub struct Input;
impl Input {
    pub fn edit(&mut self, key: u8, terminal: Option<&mut Term>) {
        if let Some(t) = terminal && key == 27 {
            std::process::Command::new("vi").status().unwrap();
        }
    }
}
pub struct Checker;
impl Checker {
    pub fn new(index: bool) -> Checker {
        let _ = if index { std::fs::read_dir(".").ok() } else { None };
        Checker
    }
}
fn helper(verbose: bool) {
    std::thread::sleep(std::time::Duration::from_millis(1));
    if verbose {
        println!("slept");
    }
}
async fn handler(mut input: Input, mut term: Term) {
    input.edit(1, None);
    input.edit(27, Some(&mut term));
    Input::edit(&mut input, 2, None);
    let _ = Checker::new(false);
    let _ = Checker::new(true);
    helper(false);
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [26, 29, 30]);
}

/// The other way round: `Some(..)` or `true` where the callee blocks only
/// without the parameter (its `None` arm, the `else` of `if let Some`, `if
/// !p`, `if p.is_none()`, the `else` of `let Some(p) = path else`) does not
/// reach that, also through a fn that hands the parameter on as it is
/// (`from_str(.., role)` to `resolve_role`); what follows `let Some(p) =
/// path else { .. };` runs only with it.
#[test]
fn literal_some_and_true_arguments_turn_off_what_runs_without_them() {
    let src = r#"
pub struct Role;
fn read_default() -> Role {
    let _ = std::fs::read("role.md");
    Role
}
fn resolve_role(role: Option<Role>) -> Role {
    match role {
        Some(r) => r,
        None => read_default(),
    }
}
pub fn from_str(text: &str, role: Option<Role>) -> usize {
    let _ = resolve_role(role);
    text.len()
}
fn with_else(cached: Option<u8>) -> u8 {
    if let Some(c) = cached { c } else { std::fs::read("c").map_or(0, |v| v[0]) }
}
fn let_else(path: Option<&str>) -> usize {
    let Some(p) = path else {
        return std::fs::read("default").map_or(0, |v| v.len());
    };
    p.len()
}
fn both(a: bool, b: bool) {
    if !(a && b) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    if (a && b) {
    } else {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
fn or_nothing(path: Option<&str>) -> usize {
    let Some(p) = path else { return 0 };
    std::fs::read(p).map_or(0, |v| v.len())
}
fn unless(quiet: bool, fast: Option<u8>) {
    if !quiet {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    if fast.is_none() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
async fn handler() {
    let _ = from_str("a", Some(Role));
    let _ = from_str("b", None);
    let _ = with_else(Some(1));
    let _ = with_else(None);
    unless(true, Some(2));
    unless(false, Some(2));
    let_else(Some("a"));
    let_else(None);
    or_nothing(Some("a"));
    or_nothing(None);
    // Either unset is enough: `true` for one of them rules nothing out.
    both(true, false);
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [49, 51, 53, 55, 56, 59]);
}

/// The child's arm of `fork()` runs in another process: nothing there
/// blocks this one. The parent's arm does.
#[test]
fn the_child_of_fork_is_another_process() {
    let src = r#"
use nix::unistd::{fork, ForkResult};
async fn pty() {
    match unsafe { fork() }.unwrap() {
        ForkResult::Child => {
            let _ = std::fs::File::open("/dev/pts/1");
        }
        ForkResult::Parent { child } => {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    match unsafe { fork()? } {
        ForkResult::Child => std::thread::sleep(std::time::Duration::from_millis(1)),
        _ => {}
    }
    match pick() {
        ForkResult::Child => std::thread::sleep(std::time::Duration::from_millis(1)),
        _ => {}
    }
}
"#;
    let lines: Vec<usize> = scan(src).iter().map(|f| f.0).collect();
    assert_eq!(lines, [9, 17]);
}

#[test]
fn unix_sockets_of_std_wait_for_their_peer() {
    let src = r#"
use std::io::{Read, Write};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
async fn serve(listener: UnixListener, mut s: UnixStream, d: UnixDatagram) {
    let (_peer, _) = listener.accept().unwrap();
    let mut buf = [0u8; 8];
    s.read(&mut buf).unwrap();
    s.write_all(b"ok").unwrap();
    d.recv(&mut buf).unwrap();
    let stream = UnixStream::connect("/run/app.sock").unwrap(); // handed to tokio: not a wait
    let _ = tokio::net::UnixStream::from_std(stream);
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        got,
        [(5, "PG122"), (7, "PG122"), (8, "PG122"), (9, "PG122")]
    );
}

/// A value kept in a collection keeps its type: an element handed out by
/// `get_mut`, `remove` or `pop`, each item of a loop over the collection or
/// its iterators, a map's pairs, and what an iterator's closure is given.
#[test]
fn a_value_kept_in_a_collection_keeps_its_type() {
    let src = r#"
use std::collections::HashMap;
use std::io::Write;
use std::process::Child;
struct Kernel { child: Child }
struct Runner { map: HashMap<u64, Kernel>, list: Vec<Kernel>, locked: tokio::sync::Mutex<HashMap<u64, Kernel>> }
impl Runner {
    async fn run(&mut self, id: u64) {
        let k = self.map.get_mut(&id).unwrap();
        k.child.wait().unwrap();
        for k in self.list.iter_mut() { k.child.wait().unwrap(); }
        for k in &mut self.list { k.child.wait().unwrap(); }
        for (_, k) in self.map.iter_mut() { k.child.wait().unwrap(); }
        for (i, k) in self.list.iter_mut().enumerate() { k.child.wait().unwrap(); }
        self.list.iter_mut().for_each(|k| { k.child.wait().unwrap(); });
        if let Some(k) = self.map.values_mut().next() { k.child.wait().unwrap(); }
        let mut kernels = self.locked.lock().await;
        let stdin = kernels.get_mut(&id).unwrap().child.stdin.as_mut().unwrap();
        stdin.write_all(b"x").unwrap();
        let old = self.locked.lock().await.remove(&id);
        if let Some(mut k) = old { k.child.wait().unwrap(); }
        let n = self.list.iter().filter(|k| k.child.id() > 0).count();
        let names: Vec<u64> = self.map.keys().copied().collect();
    }
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    let want: Vec<(usize, &str)> = [10, 11, 12, 13, 14, 15, 16]
        .into_iter()
        .map(|l| (l, "PG141"))
        .chain([(19, "PG141"), (21, "PG141")])
        .collect();
    assert_eq!(got, want);
}

/// A closure handed to a fn is given what the fn declares: `impl
/// FnOnce(&mut Child)`, a type parameter bounded `FnMut(&mut Child)` in a
/// `where` clause, a free fn's; a closure given nothing typed stays untyped.
#[test]
fn a_closure_is_given_what_its_fn_declares() {
    let src = r#"
use std::process::Child;
use std::sync::Mutex;
pub struct Db { conn: Mutex<Child> }
impl Db {
    pub fn with_child<R>(&self, f: impl FnOnce(&mut Child) -> R) -> R { f(&mut self.conn.lock().unwrap()) }
    pub fn each<F>(&self, mut f: F) where F: FnMut(&mut Child) { f(&mut self.conn.lock().unwrap()) }
    pub fn run<F: FnOnce(u32)>(&self, f: F) { f(1) }
}
pub fn with_global<R>(f: impl FnOnce(&mut Child) -> R) -> R { todo!() }
pub async fn handler(db: &Db) {
    db.with_child(|c| c.wait().unwrap());
    db.each(|c| { c.wait().unwrap(); });
    with_global(|c| c.wait().unwrap());
    let pid = db.with_child(|c| c.id());
    db.run(|c| { let _ = c; });
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, [(12, "PG141"), (13, "PG141"), (14, "PG141")]);
}

/// A closure in a Rayon parallel chain runs on Rayon's pool: the executor
/// waits at the chain's consumer, not at the calls inside the closure.
#[test]
fn a_parallel_iterators_closures_run_on_its_pool() {
    let src = r#"
use rayon::prelude::*;
async fn sizes(files: Vec<String>) -> Vec<u64> {
    files.par_iter().map(|f| std::fs::metadata(f).unwrap().len()).collect()
}
async fn inline(files: Vec<String>) -> Vec<u64> {
    files.iter().map(|f| std::fs::metadata(f).unwrap().len()).collect()
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, [(4, "PG191"), (7, "PG111")]);
}

/// An address formatted from an `IpAddr` the code holds (`format!("{}:{}",
/// cfg.ip, cfg.port)`, inline or through a variable, in brackets for IPv6)
/// needs no resolver; one formatted from a host name does.
#[test]
fn an_address_formatted_from_an_ip_needs_no_resolver() {
    let src = r#"
use std::net::{IpAddr, ToSocketAddrs};
pub struct Opts { ip: IpAddr, port: u16, host: String }
pub async fn a(o: &Opts) {
    let _ = format!("{}:{}", o.ip, o.port).to_socket_addrs();
    let endpoint = format!("{}:{}", o.ip, o.port);
    let _ = endpoint.to_socket_addrs();
    let ip = o.ip;
    let _ = format!("{ip}:{}", o.port).to_socket_addrs();
    let _ = format!("{}:{}", o.host, o.port).to_socket_addrs();
    let _ = format!("[{}]:{}", o.ip, o.port).to_socket_addrs();
    let named = format!("{}:{}", o.host, o.port);
    let _ = named.to_socket_addrs();
}
"#;
    let got: Vec<(usize, &str)> = scan(src).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(got, [(10, "PG131"), (13, "PG131")]);
}

/// An enum variant written out as an argument: the callee's arms for other
/// variants do not run. `edit(&Action::Motion, ..)` never reaches the
/// clipboard that only `Action::Yank` writes, also through a fn that
/// hands the action on, `if let` on the parameter, a tuple variant and a
/// path call of a method; a variant the arm names, or one not written out,
/// still reaches it.
#[test]
fn an_enum_variant_argument_turns_off_the_other_arms() {
    let src = r#"
pub enum Action { Motion, Yank, Jump(u8) }
pub struct Buffer;
impl Buffer {
    pub fn edit(&mut self, action: &Action, n: u8) -> u8 {
        match action {
            Action::Motion => n,
            Action::Yank | Action::Jump(_) => {
                let _ = std::fs::write("clipboard", [n]);
                n
            }
        }
    }
    pub fn search(&mut self, n: u8) -> u8 {
        self.edit(&Action::Motion, n)
    }
    pub fn apply(&mut self, action: Action) -> u8 {
        self.edit(&action, 1)
    }
}
fn paste(action: Action) {
    if let Action::Yank = action {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}
async fn handler(mut buf: Buffer, chosen: Action) {
    buf.edit(&Action::Motion, 1);
    buf.search(2);
    buf.apply(Action::Motion);
    Buffer::edit(&mut buf, &Action::Motion, 3);
    paste(Action::Motion);
    buf.edit(&Action::Yank, 1);
    buf.edit(&Action::Jump(2), 1);
    buf.apply(Action::Jump(1));
    paste(Action::Yank);
    buf.edit(&chosen, 1);
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [32, 33, 34, 35, 36]);
}

/// A value a block ends with keeps its type in the variable the block is
/// stored in (nats's `let pong = { ..; receiver }; pong.recv()`), also
/// through `unsafe { .. }`; a block whose tail is unknown says nothing.
#[test]
fn a_value_a_block_ends_with_keeps_its_type() {
    let src = r#"
fn wait_pong() {
    let pong = {
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        drop(tx);
        rx
    };
    let _ = pong.recv();
}
fn wait_unsafe() {
    let file = unsafe { std::fs::File::options() };
    let _ = file.open("x");
}
fn unknown(v: Vec<u8>) {
    let n = { let w = v; w.len() };
    let _ = n.recv();
}
async fn handler(v: Vec<u8>) {
    wait_pong();
    wait_unsafe();
    unknown(v);
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [19, 20]);
}

/// A test runs the path it sets up: what a sync fn does only on an error
/// path or as a fallback (syslog over TCP when the Unix socket fails) is
/// not reported where a test calls it, but is where other async code
/// does. What it does on every path is reported in both.
#[test]
fn a_test_does_not_reach_a_fallback() {
    let src = r#"
fn unix() -> std::io::Result<u8> { Ok(0) }
pub fn syslog_logger() -> std::io::Result<u8> {
    unix().or_else(|_| std::net::TcpStream::connect("127.0.0.1:601").map(|_| 1))
}
pub fn file_logger() -> std::io::Result<std::fs::File> {
    std::fs::File::create("log.txt")
}
pub async fn serve() {
    let _ = syslog_logger();
}
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn logs() {
        let _ = super::syslog_logger();
        let _ = super::file_logger();
    }
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [10, 17]);
}

/// A setting of an enum type is at its default variant (`#[default]`, or an
/// `impl Default` returning one) until something sets it: in a test, which
/// builds its own settings, the arms of a `match` on it for the other
/// variants are not reached. Elsewhere they are; an enum with no declared
/// default says nothing.
#[test]
fn a_test_leaves_an_enum_setting_at_its_default() {
    let src = r#"
#[derive(Default)]
pub enum Target { #[default] Stderr, File }
pub enum Format { Text, Json }
impl Default for Format { fn default() -> Self { Format::Text } }
pub enum Mode { Fast, Safe }
pub struct Log { target: Target, format: Format, mode: Mode }
impl Log {
    fn tick(&self) {}
    pub fn open(&self) {
        match self.target {
            Target::Stderr => self.tick(),
            Target::File => { let _ = std::fs::File::create("log"); }
        }
    }
    pub fn encode(&self) {
        match self.format {
            Format::Text => self.tick(),
            Format::Json => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    }
    pub fn sync(&self) {
        match self.mode {
            Mode::Fast => self.tick(),
            Mode::Safe => { let _ = std::fs::File::open("x").and_then(|f| f.sync_all()); }
        }
    }
}
pub async fn serve(log: Log) {
    log.open();
}
#[cfg(test)]
mod tests {
    use super::*;
    #[tokio::test]
    async fn logs(log: Log) {
        log.open();
        log.encode();
        log.sync();
    }
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [30, 39]);
}

/// `let p = if let Some(p) = path { p } else { return .. };` and its
/// `match` twin gate what follows on the parameter, as `let Some(p) = path
/// else { return .. };` does: a caller passing `None` does not reach it.
#[test]
fn an_option_unwrapped_or_returned_gates_the_rest() {
    let src = r#"
fn compile(path: Option<&str>) -> usize {
    let p = if let Some(p) = path { p } else { return 0 };
    std::fs::read(p).map_or(0, |v| v.len())
}
fn load(path: Option<&str>) -> usize {
    let p = match path {
        Some(p) => p,
        None => return 0,
    };
    std::fs::read(p).map_or(0, |v| v.len())
}
fn fallback(path: Option<&str>) -> usize {
    let p = if let Some(p) = path { p } else { "default.toml" };
    std::fs::read(p).map_or(0, |v| v.len())
}
async fn handler() {
    compile(None);
    load(None);
    fallback(None);
    compile(Some("a"));
}
"#;
    let (_, lines) = direct_and_transitive_lines(src);
    assert_eq!(lines, [20, 21]);
}
