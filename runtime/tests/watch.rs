//! Budgets and policies, each test with its own per-future policy so that they can run in
//! parallel without touching the process-wide settings.

#![cfg(any(debug_assertions, feature = "release-watchdog"))]

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pollguard_runtime::{Policy, Report, WatchExt, watch};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS.lock().unwrap().push(r.clone());
}

fn reports(name: &str) -> Vec<Report> {
    REPORTS
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.name() == Some(name))
        .cloned()
        .collect()
}

fn finished(name: &str) -> Vec<Report> {
    reports(name)
        .into_iter()
        .filter(|r| !r.is_stuck())
        .collect()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn a_poll_under_budget_passes() {
    current_thread().block_on(async {
        async {
            std::thread::sleep(ms(40));
            tokio::task::yield_now().await;
            std::thread::sleep(ms(40));
        }
        .watchdog_budget(ms(500))
        .named("under")
        .policy(Policy::Callback(record))
        .await
    });
    assert!(reports("under").is_empty(), "{:?}", reports("under"));
}

#[test]
fn a_poll_over_budget_is_reported_after_it_returns() {
    let line = line!() + 3;
    current_thread().block_on(async {
        async { std::thread::sleep(ms(400)) }
            .watchdog_budget(ms(100))
            .named("over")
            .policy(Policy::Callback(record))
            .await
    });
    let r = finished("over");
    assert_eq!(r.len(), 1, "{r:?}");
    let r = &r[0];
    assert_eq!(r.file(), file!());
    assert_eq!(r.line(), line);
    assert!(r.elapsed() >= ms(400), "{r:?}");
    assert_eq!(r.budget(), ms(100));
    assert!(!r.is_stuck());
    let msg = r.to_string();
    assert!(
        msg.starts_with(&format!(
            "pollguard: one poll of `over` ({}:{line}:",
            file!()
        )),
        "{msg}"
    );
    assert!(msg.contains("over its 100 ms budget"), "{msg}");
    assert!(
        msg.ends_with("use its async equivalent or `tokio::task::spawn_blocking`"),
        "{msg}"
    );
}

#[test]
fn only_the_slow_poll_counts() {
    // Many short polls add up to more than the budget: nothing to report.
    current_thread().block_on(async {
        async {
            for _ in 0..20 {
                std::thread::sleep(ms(10));
                tokio::task::yield_now().await;
            }
        }
        .watchdog_budget(ms(150))
        .named("many-short")
        .policy(Policy::Callback(record))
        .await
    });
    assert!(reports("many-short").is_empty());
}

#[test]
fn the_panic_policy_panics_with_the_report() {
    let err = std::panic::catch_unwind(|| {
        current_thread().block_on(async {
            watch(async { std::thread::sleep(ms(300)) })
                .budget(ms(50))
                .named("panicky")
                .policy(Policy::Panic)
                .await
        })
    })
    .unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(
        msg.starts_with("pollguard: one poll of `panicky` ("),
        "{msg}"
    );
    assert!(msg.contains(file!()), "{msg}");
    assert!(msg.contains("over its 50 ms budget"), "{msg}");
}

#[test]
fn the_warn_and_off_policies_go_on() {
    let out = current_thread().block_on(async {
        let a = async {
            std::thread::sleep(ms(200));
            1
        }
        .watchdog_budget(ms(50))
        .policy(Policy::Warn)
        .await;
        let b = async {
            std::thread::sleep(ms(200));
            2
        }
        .watchdog_budget(ms(50))
        .policy(Policy::Off)
        .await;
        a + b
    });
    assert_eq!(out, 3);
}

#[test]
fn the_async_sleep_is_never_reported() {
    current_thread().block_on(async {
        async { tokio::time::sleep(ms(300)).await }
            .watchdog_budget(ms(50))
            .named("async-sleep")
            .policy(Policy::Callback(record))
            .await
    });
    assert!(reports("async-sleep").is_empty());
}

#[test]
fn nested_watches_report_a_stall_once() {
    current_thread().block_on(async {
        let inner = async { std::thread::sleep(ms(300)) }
            .watchdog_budget(ms(50))
            .named("nested-inner")
            .policy(Policy::Callback(record));
        async {
            tokio::task::yield_now().await;
            inner.await;
        }
        .watchdog_budget(ms(50))
        .named("nested-outer")
        .policy(Policy::Callback(record))
        .await
    });
    assert_eq!(finished("nested-inner").len(), 1);
    assert!(
        finished("nested-outer").is_empty(),
        "{:?}",
        finished("nested-outer")
    );
    // The monitor reports whichever poll is innermost at the time; never both for one stall.
    assert!(
        reports("nested-outer").is_empty(),
        "{:?}",
        reports("nested-outer")
    );
}

#[test]
fn a_panicking_future_leaves_the_thread_clean() {
    let rt = current_thread();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            async { panic!("inner failure") }
                .watchdog_budget(ms(100))
                .named("panics")
                .policy(Policy::Callback(record))
                .await
        })
    }));
    assert!(r.is_err());
    // If the unwinding poll had stayed published, the monitor would report it as stuck.
    std::thread::sleep(ms(300));
    assert!(reports("panics").is_empty(), "{:?}", reports("panics"));
}

static STUCK_SEEN_WHILE_RUNNING: AtomicBool = AtomicBool::new(false);
static STUCK_RETURNED: AtomicBool = AtomicBool::new(false);

fn record_stuck(r: &Report) {
    if r.is_stuck() && !STUCK_RETURNED.load(Ordering::SeqCst) {
        STUCK_SEEN_WHILE_RUNNING.store(true, Ordering::SeqCst);
    }
    record(r);
}

static SLEEP_LINE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

#[test]
fn the_monitor_reports_a_stuck_poll_while_it_is_stuck() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let stuck = async {
            SLEEP_LINE.store(line!() + 1, Ordering::SeqCst);
            std::thread::sleep(ms(2500));
        };
        let stuck = stuck
            .watchdog_budget(ms(200))
            .named("stuck")
            .policy(Policy::Callback(record_stuck));
        tokio::spawn(stuck).await.unwrap();
    });
    STUCK_RETURNED.store(true, Ordering::SeqCst);
    let sleep_line = SLEEP_LINE.load(Ordering::SeqCst);
    let all = reports("stuck");
    let stuck: Vec<_> = all.iter().filter(|r| r.is_stuck()).collect();
    assert_eq!(stuck.len(), 1, "{all:?}");
    assert!(STUCK_SEEN_WHILE_RUNNING.load(Ordering::SeqCst));
    let s = stuck[0];
    assert!(s.elapsed() >= ms(200) && s.elapsed() < ms(400), "{s:?}");
    // `tokio-rt-worker` in recent Tokio versions, `tokio-runtime-worker` before.
    assert!(s.thread_name().unwrap().starts_with("tokio-r"), "{s:?}");
    assert_eq!(finished("stuck").len(), 1, "{all:?}");
    // A release build (`release-watchdog`) has no line tables to name the frame by, unless its
    // profile asks for debug info.
    if cfg!(all(target_os = "linux", debug_assertions)) {
        for r in &all {
            let f = r
                .blocking_frame()
                .unwrap_or_else(|| panic!("no user frame in {r:#?}"));
            assert!(
                f.file.as_deref().unwrap().ends_with("tests/watch.rs"),
                "{f:?}"
            );
            assert_eq!(f.line, Some(sleep_line), "{r}");
            assert!(
                r.to_string()
                    .contains(&format!("tests/watch.rs:{sleep_line}:")),
                "{r}"
            );
        }
    }
}
