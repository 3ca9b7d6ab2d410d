// On an `impl` block: every async method is checked, sync ones are not.
use std::path::PathBuf;

struct Store {
    root: PathBuf,
}

#[pollguard::no_blocking]
impl Store {
    async fn get(&self, key: &str) -> Vec<u8> {
        std::fs::read(self.root.join(key)).unwrap()
    }

    fn get_sync(&self, key: &str) -> Vec<u8> {
        std::fs::read(self.root.join(key)).unwrap()
    }

    async fn wait(&self) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

struct Cache;

impl Cache {
    // On one method of an `impl`.
    #[pollguard::no_blocking]
    async fn warm(&self) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

fn main() {}
