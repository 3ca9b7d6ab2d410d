// A sync helper in the same module blocks: its call in async code is
// reported, with the chain down to the blocking call.
#[pollguard::no_blocking]
mod config {
    use std::fs;

    fn read_raw() -> String {
        fs::read_to_string("app.toml").unwrap_or_default()
    }

    pub fn load() -> usize {
        read_raw().len()
    }

    pub async fn handler() -> usize {
        load()
    }

    pub async fn offloaded() -> usize {
        tokio::task::spawn_blocking(load).await.unwrap()
    }
}

fn main() {}
