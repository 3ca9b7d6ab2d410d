// Above `#[async_trait]`: the attribute sees the `async fn`s as written.
#[async_trait::async_trait]
trait Store {
    async fn get(&self, key: &str) -> Vec<u8>;
}

struct Disk;

#[pollguard::no_blocking]
#[async_trait::async_trait]
impl Store for Disk {
    async fn get(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap()
    }
}

fn main() {}
