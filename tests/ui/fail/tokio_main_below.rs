// Below `#[tokio::main]`: the attribute sees tokio's expansion (a sync `main`
// that calls `block_on(async { body })`); the body is still async code and
// tokio's own `block_on` is fine.
#[tokio::main]
#[pollguard::no_blocking]
async fn main() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
}
