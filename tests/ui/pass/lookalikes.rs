// Methods named like blocking ones, on values that are not blocking.
use std::path::Path;

#[pollguard::no_blocking]
async fn lookalikes(path: &Path, parts: Vec<String>) -> usize {
    let full = path.join("x");
    let joined = parts.join(",");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(4);
    tx.send(1).await.unwrap();
    tx.send(2).await.unwrap();
    let a = rx.recv().await.unwrap();
    let b = tokio::select! {
        m = rx.recv() => m.unwrap_or(0),
        _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => 0,
    };
    let c = tokio::time::timeout(std::time::Duration::from_secs(1), rx.recv()).await;
    let handle = tokio::spawn(async { 1 });
    let d = handle.await.unwrap();
    full.as_os_str().len() + joined.len() + (a + b) as usize + c.is_err() as usize + d
}

#[pollguard::no_blocking]
#[tokio::main(flavor = "current_thread")]
async fn main() {
    lookalikes(Path::new("/tmp"), vec!["a".into(), "b".into()]).await;
}
