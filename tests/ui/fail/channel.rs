// pollguard::channel: blocking receives on std channels.
use std::sync::mpsc;
use std::time::Duration;

#[pollguard::no_blocking]
async fn drain() -> u32 {
    let (tx, rx) = mpsc::channel::<u32>();
    tx.send(1).unwrap();
    let a = rx.recv().unwrap();
    let b = rx.recv_timeout(Duration::from_millis(10)).unwrap_or(0);
    a + b
}

fn main() {}
