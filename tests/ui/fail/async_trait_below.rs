// Below `#[async_trait]`: the attribute sees its expansion, bodies rewritten
// into `Box::pin(async move { .. })`, and finds the same call.
#[async_trait::async_trait]
trait Store {
    async fn get(&self, key: &str) -> Vec<u8>;
}

struct Disk;

#[async_trait::async_trait]
#[pollguard::no_blocking]
impl Store for Disk {
    async fn get(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap()
    }
}

fn main() {}
