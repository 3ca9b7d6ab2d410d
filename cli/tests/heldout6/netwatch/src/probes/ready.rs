use std::time::Duration;

use backon::{BlockingRetryable, ConstantBuilder};

use crate::StateMap;

#[derive(Debug)]
struct NotReady;

/// Polls the state map (without awaiting) until `expected` TCP entries
/// are present, sleeping between attempts. Gives up after ~10 s.
pub fn wait_ready(state: &StateMap, expected: usize) -> bool {
    let check = || match state.try_read() {
        Ok(map) if map.keys().filter(|k| k.starts_with("tcp:")).count() >= expected => Ok(()),
        _ => Err(NotReady),
    };
    check
        .retry(ConstantBuilder::default().with_delay(Duration::from_millis(200)).with_max_times(50))
        .call()
        .is_ok()
}
