//! Builds without debug assertions and without the `release-watchdog` feature: a pass-through.

#![cfg(not(any(debug_assertions, feature = "release-watchdog")))]

use std::sync::Mutex;
use std::time::Duration;

use pollguard_runtime::{Policy, Report, WatchExt};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS.lock().unwrap().push(r.clone());
}

#[test]
fn release_builds_report_nothing() {
    const { assert!(!pollguard_runtime::ENABLED) };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let out = rt.block_on(async {
        let a = async {
            std::thread::sleep(Duration::from_millis(300));
            1
        }
        .watchdog_budget(Duration::from_millis(10))
        .policy(Policy::Callback(record))
        .await;
        // The process-wide default policy panics in debug builds; here nothing happens.
        let b = pollguard_runtime::watch(async {
            std::thread::sleep(Duration::from_millis(300));
            2
        })
        .budget(Duration::from_millis(10))
        .await;
        a + b
    });
    assert_eq!(out, 3);
    assert!(REPORTS.lock().unwrap().is_empty());
}
