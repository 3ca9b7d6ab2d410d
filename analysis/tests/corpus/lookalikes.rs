// Code that looks blocking to a grep and is not.
use std::path::Path;
use tokio::fs;
use tokio::time::sleep;

mod thread {
    pub async fn sleep(_ms: u64) {}
}

mod store {
    pub fn read(_key: &str) -> Option<Vec<u8>> {
        None
    }
}

pub async fn lookalikes(dir: &Path, parts: Vec<String>, barrier: std::sync::Arc<tokio::sync::Barrier>) {
    sleep(std::time::Duration::from_millis(1)).await; //~ ok(sleep)
    thread::sleep(5).await; //~ ok(sleep)
    let data = fs::read(dir.join("a")).await; //~ ok(fs)
    let cached = store::read("key"); //~ ok(fs)
    let csv = parts.join(","); //~ ok(thread_join)
    let p = dir.join("b"); //~ ok(thread_join)
    barrier.wait().await; //~ ok(thread_join)
    let s = "std::thread::sleep(d)";
    // std::thread::sleep(Duration::from_secs(1));
    /// std::fs::read_to_string("doc")
    let n = s.len();
    drop((data, cached, csv, p, n));
}

pub async fn shadowed_locals() {
    let sleep = |ms: u64| ms * 2;
    let v = sleep(3); //~ ok(sleep)
    let read_to_string = |p: &str| p.to_owned();
    let w = read_to_string("x"); //~ ok(fs)
    drop((v, w));
}

pub async fn iterators(paths: Vec<std::path::PathBuf>) -> usize {
    let sizes: Vec<u64> = paths
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)) //~ fs
        .collect();
    sizes.len()
}
