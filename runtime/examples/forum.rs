//! The forum program from the seed story, watched: run it to see the watchdog at work.
//!
//! ```text
//! POLLGUARD=warn cargo run -p pollguard-runtime --example forum          # reports, goes on
//! cargo run -p pollguard-runtime --example forum                         # panics in the tasks
//! POLLGUARD=abort cargo run -p pollguard-runtime --example forum         # ends the process
//! cargo run -p pollguard-runtime --example forum -- async                # the fix: no report
//! ```

use std::time::Duration;

use pollguard_runtime::WatchExt;

fn ct_id() -> String {
    let t = std::thread::current();
    format!("'{}' {:?}", t.name().unwrap_or("?"), t.id())
}

async fn pause(blocking: bool) {
    if blocking {
        // The bug: a blocking call inside async code.
        std::thread::sleep(Duration::from_millis(500));
    } else {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn main() {
    let blocking = std::env::args().nth(1).as_deref() != Some("async");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(10)
        .enable_all()
        .build()
        .unwrap();
    let main_task = async move {
        println!("Main: start {}", ct_id());
        let handle = tokio::runtime::Handle::current();
        let task1 = async move {
            println!("Task 1: start {}", ct_id());
            let handle = tokio::runtime::Handle::current();
            let task2 = async move {
                println!("Task 2: start {}", ct_id());
                pause(blocking).await;
                println!("Task 2: end {}", ct_id());
            };
            let task2 = handle.spawn(task2.watchdog().named("task2"));
            pause(blocking).await;
            println!("Task 1: sleeped {}", ct_id());
            let _ = task2.await;
            println!("Task 1: end {}", ct_id());
        };
        let task1 = handle.spawn(task1.watchdog().named("task1"));
        pause(blocking).await;
        println!("Main: sleeped {}", ct_id());
        let _ = task1.await;
        println!("Main: end {}", ct_id());
    };
    rt.block_on(main_task.watchdog().named("main"));
}
