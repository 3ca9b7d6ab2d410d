use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

struct Bucket {
    tokens: f64,
    last: Instant,
}

pub struct RateLimiter {
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    rate: AtomicU32,
    burst: AtomicU32,
}

impl RateLimiter {
    pub fn new(rate: u32, burst: u32) -> Self {
        Self {
            buckets: Mutex::new(HashMap::new()),
            rate: AtomicU32::new(rate),
            burst: AtomicU32::new(burst),
        }
    }

    pub fn allow(&self, ip: IpAddr) -> bool {
        let rate = self.rate.load(Ordering::Relaxed) as f64;
        let burst = self.burst.load(Ordering::Relaxed) as f64;
        let mut buckets = self.buckets.lock();
        let now = Instant::now();
        let b = buckets.entry(ip).or_insert(Bucket {
            tokens: burst,
            last: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate).min(burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    pub fn reconfigure(&self, rate: u32, burst: u32) {
        self.rate.store(rate, Ordering::Relaxed);
        self.burst.store(burst, Ordering::Relaxed);
    }

    pub fn rate(&self) -> u32 {
        self.rate.load(Ordering::Relaxed)
    }

    pub fn tracked(&self) -> usize {
        self.buckets.lock().len()
    }

    pub fn purge_idle(&self, older_than: Duration) -> usize {
        let mut buckets = self.buckets.lock();
        let before = buckets.len();
        buckets.retain(|_, b| b.last.elapsed() < older_than);
        before - buckets.len()
    }
}
