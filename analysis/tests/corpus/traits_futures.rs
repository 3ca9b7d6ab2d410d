// Trait objects, boxed futures, hand-written futures and generic helpers:
// the shapes middleware and plugin systems take.
use futures::future::BoxFuture;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

pub trait Plugin: Send + Sync {
    fn name(&self) -> &str;
    fn call<'a>(&'a self, input: &'a str) -> BoxFuture<'a, String>;
}

pub struct FilePlugin {
    root: PathBuf,
}

impl Plugin for FilePlugin {
    fn name(&self) -> &str {
        "file"
    }
    fn call<'a>(&'a self, input: &'a str) -> BoxFuture<'a, String> {
        let path = self.root.join(input); //~ ok(thread_join)
        Box::pin(async move {
            std::fs::read_to_string(path).unwrap_or_default() //~ fs
        })
    }
}

pub struct SlowPlugin;

impl Plugin for SlowPlugin {
    fn name(&self) -> &str {
        "slow"
    }
    fn call<'a>(&'a self, input: &'a str) -> BoxFuture<'a, String> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(10)).await; //~ ok(sleep)
            input.to_uppercase()
        })
    }
}

pub async fn run_all(plugins: &[Arc<dyn Plugin>], input: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in plugins {
        out.push(p.call(input).await);
    }
    out
}

/// A future written by hand: `poll` runs on the executor's thread.
pub struct ReadOnce {
    path: PathBuf,
}

impl Future for ReadOnce {
    type Output = std::io::Result<Vec<u8>>;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        Poll::Ready(std::fs::read(&self.path)) //~ fs
    }
}

pub struct Throttle {
    delay: Duration,
}

impl futures::Stream for Throttle {
    type Item = ();
    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<()>> {
        std::thread::sleep(self.delay); //~ sleep
        Poll::Ready(Some(()))
    }
}

pub async fn retry<F, Fut, T>(mut f: F, times: usize) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    for attempt in 0..times {
        if let Some(v) = f().await {
            return Some(v);
        }
        tokio::time::sleep(Duration::from_millis(10 << attempt)).await; //~ ok(sleep)
    }
    None
}

pub async fn retry_blocking_backoff(path: &Path) -> Option<Vec<u8>> {
    for attempt in 0..3u32 {
        if let Ok(v) = tokio::fs::read(path).await {
            return Some(v);
        }
        std::thread::sleep(Duration::from_millis(10 * 2u64.pow(attempt))); //~ sleep
    }
    None
}

pub fn make_handler(root: PathBuf) -> impl Fn(String) -> Pin<Box<dyn Future<Output = usize> + Send>> {
    move |name| {
        let root = root.clone();
        Box::pin(async move {
            let meta = std::fs::metadata(root.join(name)); //~ fs
            meta.map(|m| m.len() as usize).unwrap_or(0)
        })
    }
}

pub struct Door {
    open: bool,
}

impl Door {
    pub fn lock(&mut self) {
        self.open = false;
    }
    pub fn wait(&self) -> bool {
        self.open
    }
}

pub struct House {
    front: Mutex<Door>,
    back: tokio::sync::Mutex<Door>,
}

impl House {
    pub async fn close_up(&self) {
        let mut front = self.front.lock().unwrap(); //~ lock
        front.lock(); //~ ok(lock)
        let mut back = self.back.lock().await; //~ ok(lock)
        back.lock(); //~ ok(lock)
        let _ = back.wait(); //~ ok(thread_join)
    }
}

pub async fn generic_guarded<T: Clone>(shared: &Arc<Mutex<T>>) -> T {
    shared.lock().unwrap().clone() //~ lock
}

pub async fn offloads(paths: Vec<PathBuf>) {
    let job = move || {
        for p in &paths {
            std::fs::remove_file(p).ok(); //~ ok(fs)
        }
    };
    std::thread::spawn(job);
    rayon::spawn(|| std::thread::sleep(Duration::from_millis(1))); //~ ok(sleep)
}

pub async fn closure_called_inline(paths: &[PathBuf]) -> usize {
    let size_of = |p: &PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0); //~ fs
    paths.iter().map(size_of).sum::<u64>() as usize
}
