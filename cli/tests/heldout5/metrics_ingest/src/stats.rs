use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stats {
    pub batches: u64,
    pub points: u64,
    pub backpressure_events: u64,
    pub dropped_datagrams: u64,
}

impl Stats {
    const fn new() -> Self {
        Stats {
            batches: 0,
            points: 0,
            backpressure_events: 0,
            dropped_datagrams: 0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_batch: usize,
    pub max_series_len: usize,
}

static STATS: spin::Mutex<Stats> = spin::Mutex::new(Stats::new());
static LIMITS: spin::RwLock<Limits> = spin::RwLock::new(Limits {
    max_batch: 5_000,
    max_series_len: 200,
});

pub async fn record(points: usize) {
    let mut stats = STATS.lock(); //~ lock
    stats.batches += 1;
    stats.points += points as u64;
}

pub async fn note_backpressure() {
    STATS.lock().backpressure_events += 1; //~ lock
}

pub async fn note_drop() {
    if let Some(mut stats) = STATS.try_lock() { //~ ok(lock)
        stats.dropped_datagrams += 1;
    }
}

pub async fn snapshot() -> Stats {
    *STATS.lock() //~ lock
}

pub async fn limits() -> Limits {
    *LIMITS.read() //~ lock
}

pub async fn set_limits(new_limits: Limits) {
    *LIMITS.write() = new_limits; //~ lock
}
