// The async equivalents of every blocking call compile, with the watchdog on.
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[pollguard::no_blocking]
async fn equivalents() -> std::io::Result<usize> {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let text = tokio::fs::read_to_string("Cargo.toml").await?;
    let exists = tokio::fs::try_exists("Cargo.toml").await?;
    let out = tokio::process::Command::new("true").output().await?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
    tx.send(1).await.unwrap();
    let got = rx.recv().await.unwrap_or(0);
    let lock = tokio::sync::Mutex::new(0u32);
    *lock.lock().await += got;
    let worker = tokio::spawn(async { 40 + 2 });
    let joined = worker.await.unwrap();
    // A std Mutex for a short critical section: allowed by default.
    let counter = Arc::new(Mutex::new(0u64));
    *counter.lock().unwrap() += 1;
    Ok(text.len() + usize::from(exists) + out.stdout.len() + joined)
}

#[pollguard::no_blocking]
#[tokio::main(flavor = "current_thread")]
async fn main() {
    equivalents().await.unwrap();
}
