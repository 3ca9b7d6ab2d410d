//! The entry point that `#[pollguard::no_blocking]` expands to.

#![cfg(any(debug_assertions, feature = "release-watchdog"))]

use std::sync::Mutex;
#[cfg(debug_assertions)]
use std::time::Duration;

use pollguard_runtime::__private::{Site, watch_fn};
use pollguard_runtime::{Policy, Report};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS.lock().unwrap().push(r.clone());
}

// The attribute wraps under the user's `cfg(debug_assertions)`, whatever the runtime's
// `release-watchdog` says: these three are debug-only, as what they copy is.
#[cfg(debug_assertions)]
async fn helper_that_blocks() {
    std::thread::sleep(Duration::from_millis(300));
}

/// What the attribute generates, roughly, for `#[no_blocking(budget = "50ms")] async fn handler`.
#[cfg(debug_assertions)]
async fn handler() -> u32 {
    let __fut = async move {
        helper_that_blocks().await;
        7
    };
    static SITE: Site = Site {
        name: "handler",
        file: file!(),
        line: 21,
        column: 1,
        budget_ns: 50_000_000,
    };
    #[cfg(debug_assertions)]
    let __fut = watch_fn::<u32, _>(__fut, &SITE).policy(Policy::Callback(record));
    __fut.await
}

#[cfg(debug_assertions)]
#[test]
fn the_attribute_entry_point_watches_with_the_site() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(rt.block_on(handler()), 7);
    let reports = REPORTS.lock().unwrap().clone();
    let finished: Vec<_> = reports.iter().filter(|r| !r.is_stuck()).collect();
    assert_eq!(finished.len(), 1, "{reports:#?}");
    let r = finished[0];
    assert_eq!(r.name(), Some("handler"));
    assert_eq!((r.file(), r.line(), r.column()), (file!(), 21, 1));
    assert_eq!(r.budget(), Duration::from_millis(50));
    assert!(r.to_string().starts_with(&format!(
        "pollguard: one poll of `handler` ({}:21:1) ran ",
        file!()
    )));
}

#[test]
fn a_zero_budget_in_the_site_uses_the_default() {
    static SITE: Site = Site {
        name: "quick",
        file: file!(),
        line: 1,
        column: 1,
        budget_ns: 0,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(watch_fn::<(), _>(async {}, &SITE).policy(Policy::Callback(record)));
    assert!(
        REPORTS
            .lock()
            .unwrap()
            .iter()
            .all(|r| r.name() != Some("quick"))
    );
}
