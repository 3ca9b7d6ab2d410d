//! The watchdog that `#[pollguard::no_blocking]` wraps around async fn bodies
//! in debug builds: it catches blocking the static check cannot see (here a
//! sync helper in another module), and makes a `#[tokio::test]` fail, with
//! the attribute on either side of `#[tokio::test]`.
//!
//! The blocking helper sleeps 10× the budget, and the async sleeps stay far
//! below it, so a noisy machine does not flake these tests.
//!
//! Release builds get the plain bodies: nothing to test there.
#![cfg(debug_assertions)]

use std::time::Duration;

mod helpers {
    use std::time::Duration;

    /// Blocks: invisible to the static check of the callers' fns.
    pub fn slow_lookup() -> u32 {
        std::thread::sleep(Duration::from_millis(300));
        7
    }
}

#[tokio::test]
#[pollguard::no_blocking(budget = "30ms")]
#[should_panic(expected = "`below_tokio_test`")]
async fn below_tokio_test() {
    assert_eq!(helpers::slow_lookup(), 7);
}

#[pollguard::no_blocking(budget = "30ms")]
#[tokio::test]
#[should_panic(expected = "`above_tokio_test`")]
async fn above_tokio_test() {
    assert_eq!(helpers::slow_lookup(), 7);
}

const HANDLER_LINE: u32 = line!() + 2;
#[pollguard::no_blocking(budget = "30ms")]
async fn handler() -> u32 {
    tokio::task::yield_now().await;
    helpers::slow_lookup()
}

#[tokio::test]
#[should_panic(expected = "`handler`")]
async fn a_called_fn_is_named_in_the_report() {
    handler().await;
}

#[tokio::test]
#[pollguard::no_blocking(budget = "30ms")]
async fn async_waits_are_not_blocking() {
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
#[pollguard::no_blocking(budget = "30ms", watchdog = false)]
async fn watchdog_false_turns_it_off() {
    assert_eq!(helpers::slow_lookup(), 7);
}

#[tokio::test]
#[pollguard::no_blocking(budget = "30ms")]
#[pollguard::allow_blocking("the hatch on a fn turns the watchdog off too")]
async fn a_fn_level_hatch_turns_it_off() {
    assert_eq!(helpers::slow_lookup(), 7);
}

#[pollguard::no_blocking(budget = "30ms")]
fn later() -> impl std::future::Future<Output = u32> {
    async move { helpers::slow_lookup() }
}

#[tokio::test]
#[should_panic(expected = "`later`")]
async fn fns_returning_an_async_block_are_watched() {
    later().await;
}

struct Service;

#[pollguard::no_blocking(budget = "30ms")]
impl Service {
    async fn call(&self) -> u32 {
        helpers::slow_lookup()
    }
}

#[tokio::test]
#[should_panic(expected = "`Service::call`")]
async fn methods_are_named_after_their_type() {
    Service.call().await;
}

#[test]
fn the_report_names_the_fn_and_its_location() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(handler())))
        .expect_err("the blocking poll panics");
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(msg.contains("`handler`"), "{msg}");
    // The location is the fn name's, from `line!()` and `column!()` spanned there.
    let at = format!("tests/attribute_watchdog.rs:{HANDLER_LINE}:10");
    assert!(msg.contains(&at), "{msg}");
    assert!(msg.contains("30 ms"), "{msg}");
}
