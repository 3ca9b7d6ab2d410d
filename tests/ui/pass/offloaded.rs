// Blocking work handed to a thread made for it is fine.
use std::time::Duration;

#[pollguard::no_blocking]
async fn offloaded() -> usize {
    let text = tokio::task::spawn_blocking(|| std::fs::read_to_string("Cargo.toml").unwrap())
        .await
        .unwrap();
    let worker = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(1)));
    let job = move || std::fs::read("Cargo.toml").unwrap();
    let bytes = tokio::task::spawn_blocking(job).await.unwrap();
    tokio::task::block_in_place(|| std::thread::sleep(Duration::from_millis(1)));
    drop(worker);
    text.len() + bytes.len()
}

mod pool {
    pub fn run<F: FnOnce() -> usize>(f: F) -> usize {
        f()
    }
}

#[pollguard::no_blocking(offload("pool::run"))]
async fn custom_offloader() -> usize {
    pool::run(|| std::fs::read("Cargo.toml").unwrap().len())
}

#[pollguard::no_blocking]
#[tokio::main]
async fn main() {
    offloaded().await;
    custom_offloader().await;
}
