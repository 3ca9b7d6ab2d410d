// The many ways code hands work to another thread, and the ones where it
// only looks like it does: wrappers, other runtimes, thread builders, parking.
use std::path::PathBuf;
use std::time::Duration;
use tokio::task::{spawn_blocking as offload_tokio, JoinHandle};

/// Project helper: every blocking job goes through here.
pub fn offload<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
}

pub async fn via_helper(p: PathBuf) -> Vec<u8> {
    offload(move || std::fs::read(p).unwrap_or_default()).await.unwrap() //~ ok(fs)
}

/// Project helper that calls its closure inside the one it gives to
/// `block_in_place`, like a connection's `run`.
pub async fn in_place<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    tokio::task::block_in_place(move || f())
}

/// Same shape, but the closure runs right here.
pub async fn in_task<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    tokio::task::yield_now().await;
    f()
}

pub async fn via_calling_helper(p: PathBuf) -> Vec<u8> {
    in_place(move || std::fs::read(p).unwrap_or_default()).await //~ ok(fs)
}

pub async fn via_inline_helper(p: PathBuf) -> Vec<u8> {
    in_task(move || std::fs::read(p).unwrap_or_default()).await //~ fs
}

pub async fn via_renamed_import(p: PathBuf) -> usize {
    offload_tokio(move || std::fs::read(p).map(|v| v.len()).unwrap_or(0)).await.unwrap() //~ ok(fs)
}

pub async fn via_handle(p: PathBuf) -> bool {
    let h = tokio::runtime::Handle::current();
    h.spawn_blocking(move || std::fs::remove_file(p).is_ok()).await.unwrap() //~ ok(fs)
}

pub async fn via_smol(p: PathBuf) -> usize {
    smol::unblock(move || std::fs::read(p).map(|v| v.len()).unwrap_or(0)).await //~ ok(fs)
}

pub async fn via_blocking_crate(d: Duration) {
    blocking::unblock(move || std::thread::sleep(d)).await; //~ ok(sleep)
}

pub async fn via_async_std(p: PathBuf) -> bool {
    async_std::task::spawn_blocking(move || p.exists()).await //~ ok(fs)
}

pub async fn via_thread_builder(d: Duration) -> std::io::Result<()> {
    let h = std::thread::Builder::new()
        .name("sleeper".into())
        .spawn(move || std::thread::sleep(d))?; //~ ok(sleep)
    drop(h);
    Ok(())
}

pub async fn scoped_crossbeam(data: &[u64]) -> u64 {
    let mut total = 0;
    crossbeam::scope(|s| { //~ thread_join
        s.spawn(|_| data.len());
        total = data.iter().sum();
    })
    .unwrap();
    total
}

pub async fn parks() {
    std::thread::yield_now(); //~ ok(sleep)
    std::thread::park_timeout(Duration::from_millis(5)); //~ thread_join
}

pub async fn condvar_variants(pair: &(std::sync::Mutex<bool>, std::sync::Condvar)) {
    let (m, cv) = pair;
    let g = m.lock().unwrap(); //~ lock
    let g = cv.wait_while(g, |ready| !*ready).unwrap(); //~ thread_join
    let (g, _timeout) = cv.wait_timeout(g, Duration::from_millis(5)).unwrap(); //~ thread_join
    drop(g);
    cv.notify_all(); //~ ok(thread_join)
    let maybe = m.try_lock(); //~ ok(lock)
    drop(maybe);
}

pub async fn parking_lot_timeouts(m: &parking_lot::Mutex<u8>, r: &parking_lot::RwLock<u8>) {
    if let Some(g) = m.try_lock_for(Duration::from_millis(10)) { //~ lock
        drop(g);
    }
    let up = r.upgradable_read(); //~ lock
    drop(up);
    let fast = r.try_read(); //~ ok(lock)
    drop(fast);
}

pub async fn with_nested_fn(p: PathBuf) -> usize {
    fn helper_len(p: &std::path::Path) -> usize {
        std::fs::read(p).map(|v| v.len()).unwrap_or(0) //~ ok(fs)
    }
    let n = tokio::task::spawn_blocking(move || helper_len(&p)).await.unwrap();
    n
}

pub trait Loader {
    async fn load(&self) -> Vec<u8> {
        std::fs::read("default.bin").unwrap_or_default() //~ fs
    }
    fn load_boxed(&self) -> impl std::future::Future<Output = Vec<u8>> + Send {
        async move { std::fs::read("boxed.bin").unwrap_or_default() } //~ fs
    }
    fn load_sync(&self) -> Vec<u8> {
        std::fs::read("sync.bin").unwrap_or_default() //~ ok(fs)
    }
}

pub async fn nested_runtimes() -> u32 {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let a = rt.block_on(async { 1 }); //~ block_on
    let local = tokio::task::LocalSet::new();
    let b = local.block_on(&rt, async { 2 }); //~ block_on
    let c = std::thread::spawn(|| futures::executor::block_on(async { 3 })) //~ ok(block_on)
        .join() //~ thread_join
        .unwrap();
    a + b + c
}

pub async fn make_tasks(paths: Vec<PathBuf>) -> Vec<JoinHandle<usize>> {
    let load = |p: PathBuf| async move { std::fs::read(p).map(|v| v.len()).unwrap_or(0) }; //~ fs
    paths.into_iter().map(|p| tokio::spawn(load(p))).collect()
}

pub fn sync_spawns_local(set: &tokio::task::LocalSet) {
    set.spawn_local(async {
        std::thread::sleep(Duration::from_millis(1)); //~ sleep
    });
}
