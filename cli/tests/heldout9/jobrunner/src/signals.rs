use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use futures::StreamExt;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Flag flipped by the first SIGTERM (graceful drain).
pub fn install() -> anyhow::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(SIGTERM, flag.clone())?;
    Ok(flag)
}

/// Blocks the current thread until a second SIGINT/SIGTERM arrives.
pub fn block_until_second_signal() {
    let mut signals = Signals::new([SIGINT, SIGTERM]).expect("signals");
    if let Some(sig) = signals.forever().next() {
        eprintln!("second signal {sig}, exiting hard");
        std::process::exit(130);
    }
}

pub async fn wait_async() {
    let mut signals = signal_hook_tokio::Signals::new([SIGINT, SIGTERM]).expect("signals");
    signals.next().await;
}

pub fn drain_pending(signals: &mut Signals) -> Vec<i32> {
    signals.pending().collect()
}
