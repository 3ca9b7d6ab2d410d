//! Phase timings for profiling a scan: with `POLLGUARD_TIMINGS` set, each
//! phase's total time (summed over the threads that ran it) is printed to
//! stderr at the end of the run. Off by default, and then one relaxed load
//! per phase.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Total time per phase, in the order phases were first seen.
static TOTALS: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Whether `POLLGUARD_TIMINGS` is set.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("POLLGUARD_TIMINGS").is_some())
}

/// Adds `d` to the total of `phase`.
pub fn add(phase: &'static str, d: Duration) {
    if !enabled() {
        return;
    }
    let mut t = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    match t.iter_mut().find(|(p, _)| *p == phase) {
        Some((_, total)) => *total += d,
        None => t.push((phase, d)),
    }
}

/// Adds `n` to the count of `what`, printed with the phases (as
/// milliseconds' place: a count of 3 prints as `3.000`).
pub fn add_count(what: &'static str, n: u32) {
    add(what, Duration::from_millis(u64::from(n)));
}

/// Runs `f` and adds its time to `phase`.
pub fn time<T>(phase: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let out = f();
    add(phase, start.elapsed());
    out
}

/// Prints every phase's total to stderr.
pub fn print() {
    if !enabled() {
        return;
    }
    let t = TOTALS.lock().unwrap_or_else(|e| e.into_inner());
    for (phase, d) in t.iter() {
        eprintln!(
            "pollguard timing: {phase:<28} {:>9.3} ms",
            d.as_secs_f64() * 1e3
        );
    }
}
