//! The forum program with its blocking sleeps made async: it compiles, and runs.

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
            tokio::time::sleep(Duration::from_millis(5)).await;
            println!("Task 2: end {}", ct_id());
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        println!("Task 1: sleeped {}", ct_id());
        task2.await.unwrap();
        println!("Task 1: end {}", ct_id());
    });
    tokio::time::sleep(Duration::from_millis(5)).await;
    println!("Main: sleeped {}", ct_id());
    task1.await.unwrap();
    println!("Main: end {}", ct_id());
}

fn ct_id() -> String {
    let t = std::thread::current();
    format!("'{}' {:?}", t.name().unwrap_or_default(), t.id())
}
