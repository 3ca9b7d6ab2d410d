// pollguard::lock: std locks are allowed by default (Tokio's docs endorse a
// std Mutex for short critical sections); `deny(lock)` reports them.
use std::sync::{Arc, Mutex, RwLock};

#[pollguard::no_blocking(deny(lock))]
async fn bump(counter: Arc<Mutex<u64>>, table: Arc<RwLock<Vec<u64>>>) {
    *counter.lock().unwrap() += 1;
    table.write().unwrap().push(1);
}

#[pollguard::no_blocking]
async fn allowed_by_default(counter: Arc<Mutex<u64>>) {
    *counter.lock().unwrap() += 1;
}

fn main() {}
