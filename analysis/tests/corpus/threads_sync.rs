// Threads, barriers and condvars reached from async code.
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;

pub async fn fan_out(data: Vec<u64>) -> u64 {
    let handles: Vec<thread::JoinHandle<u64>> =
        data.chunks(4).map(|c| { let c = c.to_vec(); thread::spawn(move || c.iter().sum()) }).collect();
    let mut total = 0;
    for h in handles {
        total += h.join().unwrap(); //~ thread_join
    }
    total
}

pub async fn scoped(data: &[u64]) -> u64 {
    thread::scope(|s| { //~ thread_join
        let h = s.spawn(|| data.iter().sum::<u64>());
        h.join().unwrap() //~ thread_join
    })
}

pub async fn rendezvous(b: Arc<Barrier>) {
    b.wait(); //~ thread_join
}

pub async fn wait_ready(pair: Arc<(Mutex<bool>, Condvar)>) {
    let (lock, cv) = &*pair;
    let mut ready = lock.lock().unwrap(); //~ lock
    while !*ready {
        ready = cv.wait(ready).unwrap(); //~ thread_join
    }
}

pub async fn offloaded_join() -> u64 {
    tokio::task::spawn_blocking(|| thread::spawn(|| 7).join().unwrap()).await.unwrap() //~ ok(thread_join)
}

pub async fn joined_handle(h: tokio::task::JoinHandle<u64>) -> u64 {
    h.await.unwrap() //~ ok(thread_join)
}
