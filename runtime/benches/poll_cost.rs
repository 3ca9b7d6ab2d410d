//! Per-poll cost of the watchdog: a self-waking future polled N times as a task of a
//! current-thread runtime (no I/O or time driver, so no system call between polls), bare, under
//! `pollguard_runtime::watch`, and under `tokio_metrics::TaskMonitor::instrument`.
//!
//! Runs the variants interleaved, several rounds in one process, and prints the median
//! nanoseconds per poll of each:
//!
//! ```text
//! cargo bench -p pollguard-runtime --bench poll_cost                  # release
//! cargo bench -p pollguard-runtime --bench poll_cost --profile dev    # debug
//! cargo bench -p pollguard-runtime --bench poll_cost --features release-watchdog
//! ```
//!
//! `POLL_COST_POLLS` and `POLL_COST_ROUNDS` change the number of polls per run (default
//! 1,000,000, 200,000 in debug builds) and of rounds (default 9).

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use pollguard_runtime::WatchExt;

/// Wakes itself and returns `Pending` until it has been polled `left` more times.
struct SelfWaking {
    left: u64,
}

impl Future for SelfWaking {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left = black_box(self.left - 1);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Variant {
    Bare,
    Watch,
    WatchShortBudget,
    TaskMonitor,
}

fn run(rt: &tokio::runtime::Runtime, v: Variant, polls: u64) -> f64 {
    let fut = SelfWaking { left: polls };
    let monitor = tokio_metrics::TaskMonitor::new();
    let start = Instant::now();
    rt.block_on(async {
        match v {
            Variant::Bare => tokio::spawn(fut).await.unwrap(),
            Variant::Watch => tokio::spawn(fut.watchdog()).await.unwrap(),
            // Budgets under 20 ms read the clock after every poll too.
            Variant::WatchShortBudget => {
                tokio::spawn(fut.watchdog_budget(Duration::from_millis(10)))
                    .await
                    .unwrap()
            }
            Variant::TaskMonitor => tokio::spawn(monitor.instrument(fut)).await.unwrap(),
        }
    });
    start.elapsed().as_nanos() as f64 / (polls + 1) as f64
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to parse.
    let polls = env_or(
        "POLL_COST_POLLS",
        if cfg!(debug_assertions) {
            200_000
        } else {
            1_000_000
        },
    );
    let rounds = env_or("POLL_COST_ROUNDS", 9) as usize;
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let variants = [
        Variant::Bare,
        Variant::Watch,
        Variant::WatchShortBudget,
        Variant::TaskMonitor,
    ];
    // Warm up: the first watched poll starts the monitor thread.
    for v in variants {
        run(&rt, v, polls / 10);
    }
    let mut results: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    for round in 0..rounds {
        // Rotate the order so that no variant always runs first.
        for k in 0..variants.len() {
            let i = (k + round) % variants.len();
            results[i].push(run(&rt, variants[i], polls));
        }
    }
    let medians: Vec<f64> = results.iter_mut().map(|r| median(r)).collect();
    let bare = medians[0];
    let monitor_overhead = medians[3] - bare;
    println!(
        "build: {}, watchdog enabled: {}, {polls} polls per run, median of {rounds} interleaved runs",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        pollguard_runtime::ENABLED,
    );
    println!("| variant | ns/poll | overhead ns/poll | overhead / TaskMonitor's |");
    println!("|---|---|---|---|");
    for (v, m) in variants.iter().zip(&medians) {
        let overhead = m - bare;
        let name = match v {
            Variant::Bare => "bare",
            Variant::Watch => "`watch` (default 100 ms budget)",
            Variant::WatchShortBudget => "`watch`, 10 ms budget",
            Variant::TaskMonitor => "`TaskMonitor::instrument`",
        };
        println!(
            "| {name} | {m:.1} | {overhead:+.1} | {} |",
            if *v == Variant::Bare {
                "-".to_string()
            } else {
                format!("{:.2}", overhead / monitor_overhead)
            }
        );
    }
}
