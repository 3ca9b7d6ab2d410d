use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Throttle {
    last: Mutex<Instant>,
    gap: Duration,
}

impl Throttle {
    pub fn new(gap: Duration) -> Self {
        Self {
            last: Mutex::new(Instant::now() - gap),
            gap,
        }
    }

    pub fn wait(&self) {
        let mut last = self.last.lock().unwrap();
        let since = last.elapsed();
        if since < self.gap {
            std::thread::sleep(self.gap - since);
        }
        *last = Instant::now();
    }

    pub async fn wait_async(&self) {
        let remaining = {
            let last = self.last.lock().unwrap(); //~ lock
            self.gap.saturating_sub(last.elapsed())
        };
        tokio::time::sleep(remaining).await; //~ ok(sleep)
        *self.last.lock().unwrap() = Instant::now(); //~ lock
    }

    pub fn gap(&self) -> Duration {
        self.gap
    }
}
