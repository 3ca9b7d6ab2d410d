// Runtimes inside runtimes, and tokio's blocking_* bridges in the wrong place.
use std::sync::Arc;
use tokio::runtime::{Handle, Runtime};
use tokio::sync::{mpsc, Mutex, RwLock, Semaphore};

pub async fn nested(rt: Arc<Runtime>) -> u32 {
    rt.block_on(async { 1 }) //~ block_on
}

pub async fn via_handle() -> u32 {
    Handle::current().block_on(async { 2 }) //~ block_on
}

pub async fn via_futures() -> u32 {
    futures::executor::block_on(async { 3 }) //~ block_on
}

pub async fn via_pollster() -> u32 {
    pollster::block_on(async { 4 }) //~ block_on
}

pub async fn bridge_ok() -> u32 {
    let h = Handle::current();
    tokio::task::spawn_blocking(move || h.block_on(async { 5 })).await.unwrap() //~ ok(block_on)
}

pub fn sync_entry() -> u32 {
    let rt = Runtime::new().unwrap();
    rt.block_on(async { 6 }) //~ ok(block_on)
}

pub async fn bridges(mut rx: mpsc::Receiver<u8>, tx: mpsc::Sender<u8>, m: Arc<Mutex<u8>>, l: RwLock<u8>, s: Semaphore) {
    let a = rx.blocking_recv(); //~ tokio_blocking
    tx.blocking_send(1).unwrap(); //~ tokio_blocking
    let g = m.blocking_lock(); //~ tokio_blocking
    let r = l.blocking_read(); //~ tokio_blocking
    drop((a, g, r));
    let p = s.acquire().await.unwrap(); //~ ok(tokio_blocking)
    drop(p);
}

pub async fn bridges_ok(mut rx: mpsc::Receiver<u8>) {
    let v = tokio::task::spawn_blocking(move || rx.blocking_recv()).await; //~ ok(tokio_blocking)
    drop(v);
}
