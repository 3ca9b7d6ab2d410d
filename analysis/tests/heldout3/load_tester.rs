//! `hammer`: an HTTP load generator. Spawns N virtual users that fire
//! requests for a fixed duration, collects latencies in a histogram and
//! prints a summary.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use futures::future::join_all;
use hdrhistogram::Histogram;
use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinSet;

pub struct Scenario {
    pub url: String,
    pub users: usize,
    pub duration: Duration,
    pub rate_per_user: u32,
}

pub struct Stats {
    hist: Mutex<Histogram<u64>>,
    errors: AtomicU64,
}

impl Stats {
    fn record(&self, d: Duration) {
        self.hist.lock().unwrap().record(d.as_micros() as u64).ok(); //~ ok(lock)
    }
}

async fn one_request(client: &reqwest::Client, url: &str, stats: &Stats) {
    let start = Instant::now();
    match client.get(url).send().await { //~ ok(http_blocking)
        Ok(r) if r.status().is_success() => { //~ ok(process)
            let elapsed = start.elapsed();
            stats.hist.lock().unwrap().record(elapsed.as_micros() as u64).ok(); //~ lock
        }
        _ => {
            stats.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub async fn run_async(s: &Scenario) -> Arc<Stats> {
    let stats = Arc::new(Stats { hist: Mutex::new(Histogram::new(3).unwrap()), errors: AtomicU64::new(0) });
    let client = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(s.users));
    let mut set = JoinSet::new();
    for _ in 0..s.users {
        let (client, stats, gate, url) = (client.clone(), stats.clone(), gate.clone(), s.url.clone());
        let deadline = Instant::now() + s.duration;
        let pause = Duration::from_secs(1) / s.rate_per_user;
        set.spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            while Instant::now() < deadline {
                one_request(&client, &url, &stats).await;
                tokio::time::sleep(pause).await; //~ ok(sleep)
            }
        });
    }
    while let Some(res) = set.join_next().await { //~ ok(thread_join)
        res.ok();
    }
    stats
}

pub async fn run_threads(s: &Scenario) -> u64 {
    let start_line = Arc::new(Barrier::new(s.users));
    let done = Arc::new(AtomicU64::new(0));
    let handles: Vec<_> = (0..s.users)
        .map(|_| {
            let (b, done, url) = (start_line.clone(), done.clone(), s.url.clone());
            thread::spawn(move || {
                b.wait(); //~ ok(thread_join)
                let agent = ureq::agent();
                for _ in 0..10 {
                    if agent.get(&url).call().is_ok() { //~ ok(http_blocking)
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    thread::sleep(Duration::from_millis(100)); //~ ok(sleep)
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap(); //~ thread_join
    }
    done.load(Ordering::Relaxed) //~ ok(db)
}

pub async fn warm_up(url: &str) -> anyhow::Result<()> {
    let resp = ureq::get(url).call()?; //~ http_blocking
    anyhow::ensure!(resp.status() == 200, "warm-up failed"); //~ ok(process)
    let checks = [url, url];
    let oks = join_all(checks.iter().map(|u| reqwest::get(*u))).await; //~ ok(thread_join), ok(http_blocking)
    tracing::info!(ok = oks.iter().filter(|r| r.is_ok()).count(), "warm");
    Ok(())
}

pub async fn cpu_sampler(stop: oneshot::Receiver<()>) -> Vec<f32> {
    let samples = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(Mutex::new(Some(stop)));
    thread::scope(|scope| { //~ thread_join
        let samples = samples.clone();
        scope.spawn(move || {
            for _ in 0..30 {
                samples.lock().unwrap().push(0.0); //~ ok(lock)
                thread::sleep(Duration::from_millis(100)); //~ ok(sleep)
            }
        });
        let first = stop.lock().unwrap().take(); //~ lock
        thread::sleep(Duration::from_millis(10)); //~ sleep
        drop(first);
    });
    let out = samples.lock().unwrap().clone(); //~ lock
    out
}

pub async fn summarize(stats: &Stats) -> String {
    let h = stats.hist.lock().unwrap(); //~ lock
    format!(
        "p50={}us p99={}us max={}us errors={}",
        h.value_at_quantile(0.5),
        h.value_at_quantile(0.99),
        h.max(),
        stats.errors.load(Ordering::Relaxed), //~ ok(db)
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let scenario = Scenario { url: std::env::args().nth(1).unwrap(), users: 50, duration: Duration::from_secs(10), rate_per_user: 5 };
    warm_up(&scenario.url).await?;
    let stats = run_async(&scenario).await;
    println!("{}", summarize(&stats).await);
    Ok(())
}
