//! The forum program: `std::thread::sleep` stands in for real blocking work.
//! Task 2 lands in the LIFO slot of the worker that task 1 blocks, no other
//! worker can steal it, and the 10-worker runtime runs it on one thread.

use std::time::Duration;

#[pollguard::no_blocking]
#[tokio::main(flavor = "multi_thread", worker_threads = 10)]
async fn main() {
    let handle = tokio::runtime::Handle::current();
    println!("Main: start {}", ct_id());
    let task1 = handle.spawn(async {
        println!("Task 1: start {}", ct_id());
        let handle = tokio::runtime::Handle::current();
        let task2 = handle.spawn(async {
            println!("Task 2: start {}", ct_id());
            std::thread::sleep(Duration::from_secs(5));
            println!("Task 2: end {}", ct_id());
        });
        std::thread::sleep(Duration::from_secs(5));
        println!("Task 1: sleeped {}", ct_id());
        task2.await.unwrap();
        println!("Task 1: end {}", ct_id());
    });
    std::thread::sleep(Duration::from_secs(5));
    println!("Main: sleeped {}", ct_id());
    task1.await.unwrap();
    println!("Main: end {}", ct_id());
}

fn ct_id() -> String {
    let t = std::thread::current();
    format!("'{}' {:?}", t.name().unwrap_or_default(), t.id())
}
