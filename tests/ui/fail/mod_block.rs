// On an inline `mod`: every fn inside, with the module's `use` lines in view.
#[pollguard::no_blocking]
mod worker {
    use std::sync::mpsc::Receiver;
    use std::thread::sleep;
    use std::time::Duration;

    pub struct Worker {
        pub rx: Receiver<u32>,
    }

    impl Worker {
        pub async fn run(&self) -> u32 {
            self.rx.recv().unwrap()
        }
    }

    pub async fn tick() {
        sleep(Duration::from_millis(1));
    }

    pub fn sync_tick() {
        sleep(Duration::from_millis(1));
    }
}

fn main() {}
