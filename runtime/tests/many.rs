//! Many watched tasks at once on a multi-thread runtime: no false reports from contention, no
//! lost reports.

#![cfg(any(debug_assertions, feature = "release-watchdog"))]

use std::sync::Mutex;
use std::time::Duration;

use pollguard_runtime::{Policy, Report, WatchExt};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS.lock().unwrap().push(r.clone());
}

const BLOCKERS: usize = 6;

#[test]
fn many_tasks_no_false_and_no_lost_reports() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut handles = Vec::new();
        for i in 0..400u64 {
            let busy = async move {
                let mut x = i;
                for _ in 0..50 {
                    for _ in 0..1000 {
                        x = std::hint::black_box(
                            x.wrapping_mul(6364136223846793005).wrapping_add(1),
                        );
                    }
                    tokio::task::yield_now().await;
                }
                x
            };
            let budget = Duration::from_millis(if i % 2 == 0 { 100 } else { 5 });
            handles.push(tokio::spawn(
                busy.watchdog_budget(budget)
                    .named("busy")
                    .policy(Policy::Callback(record)),
            ));
        }
        let mut blockers = Vec::new();
        for _ in 0..BLOCKERS {
            let blocker = async {
                tokio::task::yield_now().await;
                std::thread::sleep(Duration::from_millis(400));
                tokio::task::yield_now().await;
            };
            blockers.push(tokio::spawn(
                blocker
                    .watchdog_budget(Duration::from_millis(100))
                    .named("blocker")
                    .policy(Policy::Callback(record)),
            ));
        }
        for h in handles {
            h.await.unwrap();
        }
        for h in blockers {
            h.await.unwrap();
        }
    });
    let reports = REPORTS.lock().unwrap().clone();
    let busy: Vec<_> = reports
        .iter()
        .filter(|r| r.name() == Some("busy"))
        .collect();
    // A busy poll does 1000 multiplications: far under 5 ms even in a debug build on a loaded
    // machine, unless the thread is descheduled for that long (5 ms tasks are half of them).
    let busy_slow: Vec<_> = busy
        .iter()
        .filter(|r| r.budget() == Duration::from_millis(100))
        .collect();
    assert!(busy_slow.is_empty(), "{busy_slow:#?}");
    let finished = reports
        .iter()
        .filter(|r| r.name() == Some("blocker") && !r.is_stuck())
        .count();
    assert_eq!(finished, BLOCKERS, "{reports:#?}");
    let stuck = reports
        .iter()
        .filter(|r| r.name() == Some("blocker") && r.is_stuck())
        .count();
    assert!(stuck <= BLOCKERS, "{reports:#?}");
}
