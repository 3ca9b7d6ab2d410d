// pollguard::tokio_blocking: tokio's `blocking_*` methods panic in async context.
use std::sync::Arc;

#[pollguard::no_blocking]
async fn consume(mut rx: tokio::sync::mpsc::Receiver<u32>, state: Arc<tokio::sync::Mutex<u32>>) {
    let first = rx.blocking_recv();
    let mut guard = state.blocking_lock();
    *guard += first.unwrap_or(0);
}

fn main() {}
