// A local module or fn named like std's is not std: only the real calls are reported.
#[pollguard::no_blocking]
mod app {
    mod fs {
        pub fn read(_path: &str) -> Vec<u8> {
            Vec::new()
        }
    }

    fn sleep(_ms: u64) {}

    pub async fn run() -> usize {
        let cached = fs::read("cache");
        sleep(3);
        let real = std::fs::read("data").unwrap();
        cached.len() + real.len()
    }
}

fn main() {}
