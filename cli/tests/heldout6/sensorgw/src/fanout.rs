//! Broadcast of normalised readings to in-process sync consumers.

use bus::{Bus, BusReader};

use crate::store::Reading;

pub struct Fanout {
    bus: Bus<Reading>,
}

impl Fanout {
    pub fn new(capacity: usize) -> Self {
        Fanout { bus: Bus::new(capacity) }
    }

    pub fn subscribe(&mut self) -> BusReader<Reading> {
        self.bus.add_rx()
    }

    /// Non-blocking; returns false if a slow reader filled the bus.
    pub fn offer(&mut self, r: Reading) -> bool {
        self.bus.try_broadcast(r).is_ok()
    }

    /// Waits for room on the bus.
    pub fn publish(&mut self, r: Reading) {
        self.bus.broadcast(r);
    }
}

/// Runs on its own OS thread.
pub fn legacy_logger(mut rx: BusReader<Reading>) {
    while let Ok(r) = rx.recv() {
        println!("{} {} {:.3}", r.ts, r.sensor, r.value);
    }
}
