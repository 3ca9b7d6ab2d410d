// On a trait `impl` with native async fns, and on a trait's default bodies.
trait Store {
    async fn get(&self, key: &str) -> Vec<u8>;
}

struct Disk;

#[pollguard::no_blocking]
impl Store for Disk {
    async fn get(&self, key: &str) -> Vec<u8> {
        std::fs::read(key).unwrap()
    }
}

#[pollguard::no_blocking]
trait Poll {
    async fn poll_once(&self) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }

    async fn required(&self);
}

fn main() {}
