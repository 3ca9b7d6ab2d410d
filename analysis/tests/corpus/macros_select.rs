// Blocking calls hidden in macro arguments: select!/join! branches,
// logging, assertions, formatting, and a user macro that sleeps.
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

macro_rules! backoff {
    ($ms:expr) => {
        std::thread::sleep(std::time::Duration::from_millis($ms)) //~ ok(sleep)
    };
}

macro_rules! log_size {
    ($p:expr) => {
        tracing::debug!(size = $p.len(), "read")
    };
}

pub async fn select_bodies(mut rx: mpsc::Receiver<u32>, p: &Path) {
    loop {
        tokio::select! {
            biased;
            Some(v) = rx.recv() => { //~ ok(channel)
                if v == 0 {
                    std::thread::sleep(Duration::from_millis(5)); //~ sleep
                }
            }
            _ = tokio::time::sleep(Duration::from_secs(1)) => { //~ ok(sleep)
                let stale = std::fs::metadata(p).is_err(); //~ fs
                if stale {
                    break;
                }
            }
        }
    }
}

pub async fn joins(a: &Path, b: &Path) -> usize {
    let (x, y) = tokio::join!(
        async { std::fs::read(a).map(|v| v.len()).unwrap_or(0) }, //~ fs
        async { tokio::fs::read(b).await.map(|v| v.len()).unwrap_or(0) } //~ ok(fs)
    );
    let (z, w) = futures::join!(
        async { tokio::fs::read(a).await.is_ok() }, //~ ok(fs)
        async { std::fs::read(b).is_ok() } //~ fs
    );
    let r = tokio::try_join!(
        tokio::fs::metadata(a), //~ ok(fs)
        tokio::fs::metadata(b) //~ ok(fs)
    );
    x + y + z as usize + w as usize + r.is_ok() as usize
}

pub async fn logging(p: &Path, db: &std::sync::Mutex<Vec<u8>>) {
    tracing::info!(exists = p.exists(), "checking"); //~ fs
    tracing::warn!("locked len {}", db.lock().unwrap().len()); //~ lock
    log::debug!("{}", std::fs::read_to_string(p).unwrap_or_default()); //~ fs
    let msg = format!("{:?}", std::fs::canonicalize(p)); //~ fs
    eprintln!("{msg}");
    let data = vec![0u8; 4];
    log_size!(data);
}

pub async fn assertions(p: &Path) {
    debug_assert!(p.is_absolute()); //~ ok(fs)
    debug_assert!(p.is_file(), "not a file"); //~ fs
    assert_eq!(std::fs::read(p).ok(), None); //~ fs
    let dbg = dbg!(p.try_exists()); //~ fs
    drop(dbg);
}

pub async fn user_macro_sleeps() {
    backoff!(10); //~ miss(sleep)
}

pub async fn writes_to_strings_and_stderr(name: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    write!(s, "hello {name}").unwrap(); //~ ok(fs)
    writeln!(std::io::stderr(), "said hello").ok(); //~ ok(stdio)
    let mut buf: Vec<u8> = Vec::new();
    buf.write_all(s.as_bytes()).unwrap(); //~ ok(fs)
    s
}

pub async fn stdin_in_macro() -> usize {
    println!("{} lines", std::io::stdin().lock().lines().count()); //~ stdio
    let n = std::io::stdin().lines().count(); //~ stdio
    n
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::new());
}

static CONFIG: once_cell::sync::Lazy<String> =
    once_cell::sync::Lazy::new(|| std::fs::read_to_string("app.toml").unwrap_or_default()); //~ ok(fs)

pub async fn spawn_in_macro_args(p: std::path::PathBuf) {
    let handle = tokio::spawn(async move {
        std::fs::read(&p).map(|v| v.len()) //~ fs
    });
    tracing::info!(result = ?handle.await, config = %CONFIG.len(), "done");
    SCRATCH.with(|s| s.borrow_mut().clear());
}
