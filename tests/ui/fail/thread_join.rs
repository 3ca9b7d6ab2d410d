// pollguard::thread_join: waiting for threads, barriers and condition variables.
use std::sync::{Arc, Barrier};

#[pollguard::no_blocking]
async fn fan_out(barrier: Arc<Barrier>) -> u32 {
    let worker = std::thread::spawn(|| 40 + 2);
    barrier.wait();
    worker.join().unwrap()
}

fn main() {}
