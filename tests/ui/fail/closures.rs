// Offload closures run on another thread; inline closures run right here.
use std::path::PathBuf;

#[pollguard::no_blocking]
async fn read_all(paths: Vec<PathBuf>) -> usize {
    let first = paths[0].clone();
    let offloaded = tokio::task::spawn_blocking(move || std::fs::read(first).unwrap())
        .await
        .unwrap();
    std::thread::spawn(|| std::thread::sleep(std::time::Duration::from_millis(1)));
    let inline: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    offloaded.len() + inline.len()
}

fn main() {}
