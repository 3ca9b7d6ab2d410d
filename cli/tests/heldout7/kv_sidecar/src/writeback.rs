//! Write-behind: SETs are acknowledged from memory and persisted to libmdbx
//! in batches by dedicated threads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

use event_listener::{Event, Listener};
use parking_lot::{Condvar, Mutex};

use crate::store::Persistent;

#[derive(Debug, Default, Clone)]
pub struct Op {
    pub key: String,
    pub value: Vec<u8>,
    pub seq: u64,
}

/// How far the writer threads have persisted, for callers that need durability.
#[derive(Default)]
pub struct Progress {
    pub durable: AtomicU64,
    lock: Mutex<()>,
    advanced: Condvar,
    pub flushed: Event,
}

pub struct WriteBehind {
    /// Bounded queue drained by `kvs-writeback` (blocks the sender when full).
    pub queue: thingbuf::mpsc::blocking::Sender<Op>,
    /// Async queue for bulk loads.
    pub fast: thingbuf::mpsc::Sender<Op>,
    pub progress: Arc<Progress>,
    seq: AtomicU64,
}

fn persist(store: &Persistent, p: &Progress, ops: Vec<Op>) {
    let max = ops.iter().map(|o| o.seq).max().unwrap_or(0);
    let items: Vec<(String, Vec<u8>)> = ops.into_iter().map(|o| (o.key, o.value)).collect();
    if let Err(e) = store.put_batch(&items) {
        tracing::error!("write-behind batch failed: {e}");
        return;
    }
    let _guard = p.lock.lock();
    p.durable.fetch_max(max, Ordering::AcqRel);
    p.advanced.notify_all();
    p.flushed.notify(usize::MAX);
}

impl WriteBehind {
    pub fn start(store: Arc<Persistent>) -> Self {
        let (queue, rx) = thingbuf::mpsc::blocking::channel::<Op>(4096);
        let (fast, fast_rx) = thingbuf::mpsc::channel::<Op>(4096);
        let progress = Arc::new(Progress::default());

        let (s, p) = (store.clone(), progress.clone());
        thread::Builder::new().name("kvs-writeback".into()).spawn(move || {
            while let Some(op) = rx.recv() { //~ ok(channel)
                let mut ops = vec![op];
                while let (true, Ok(more)) = (ops.len() < 256, rx.try_recv()) {
                    ops.push(more);
                }
                persist(&s, &p, ops);
            }
        }).expect("writeback thread");

        let p = progress.clone();
        thread::Builder::new().name("kvs-bulkload".into()).spawn(move || {
            while let Some(op) = futures::executor::block_on(fast_rx.recv()) { //~ ok(block_on)
                persist(&store, &p, vec![op]);
            }
        }).expect("bulk-load thread");

        WriteBehind { queue, fast, progress, seq: AtomicU64::new(0) }
    }

    pub fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::AcqRel) + 1
    }

    pub fn pending(&self) -> bool {
        self.progress.durable.load(Ordering::Acquire) < self.seq.load(Ordering::Acquire)
    }

    /// Blocks the calling thread until `seq` has been persisted.
    pub fn wait_durable(&self, seq: u64) {
        let mut guard = self.progress.lock.lock();
        while self.progress.durable.load(Ordering::Acquire) < seq {
            self.progress.advanced.wait(&mut guard);
        }
    }

    pub async fn flush(&self) {
        while self.pending() {
            let listener = self.progress.flushed.listen();
            if !self.pending() {
                break;
            }
            listener.await; //~ ok(thread_join)
        }
    }

    /// For callers without a runtime handle (and the shutdown path).
    pub fn flush_blocking(&self) {
        futures::executor::block_on(self.flush());
    }
}
