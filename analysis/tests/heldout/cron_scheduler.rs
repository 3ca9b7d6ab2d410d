//! Cron-style job scheduler: sync shell jobs and async jobs, a pause switch
//! shared with an operator thread, and a checkpoint of the last runs.

use chrono::{DateTime, Utc};
use cron::Schedule;
use std::str::FromStr;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;
use std::time::Duration;
use tokio::task::JoinHandle;

pub trait Job: Send + Sync {
    fn name(&self) -> &str;
    fn run(&self) -> anyhow::Result<()>;
}

#[async_trait::async_trait]
pub trait AsyncJob: Send + Sync {
    async fn run(&self) -> anyhow::Result<()>;
}

struct ShellJob {
    cmd: String,
}

impl Job for ShellJob {
    fn name(&self) -> &str {
        &self.cmd
    }
    fn run(&self) -> anyhow::Result<()> {
        let status = std::process::Command::new("sh").arg("-c").arg(&self.cmd).status()?; //~ ok(process)
        anyhow::ensure!(status.success(), "{} failed", self.cmd);
        Ok(())
    }
}

struct CleanupJob {
    dir: std::path::PathBuf,
}

#[async_trait::async_trait]
impl AsyncJob for CleanupJob {
    async fn run(&self) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(&self.dir)? { //~ fs
            let entry = entry?;
            if entry.metadata()?.len() == 0 { //~ fs
                std::fs::remove_file(entry.path())?; //~ fs
            }
        }
        Ok(())
    }
}

pub struct Scheduler {
    jobs: Vec<(Schedule, Arc<dyn Job>)>,
    async_jobs: Vec<(Schedule, Arc<dyn AsyncJob>)>,
    paused: Arc<(Mutex<bool>, Condvar)>,
    handles: Vec<JoinHandle<()>>,
    last_tick: DateTime<Utc>,
}

fn due(s: &Schedule, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    s.after(&since).next().map_or(false, |t| t <= now)
}

impl Scheduler {
    pub fn new() -> Self {
        let nightly = Schedule::from_str("0 0 3 * * *").unwrap();
        Scheduler {
            jobs: vec![(nightly, Arc::new(ShellJob { cmd: "vacuumdb --all".into() }))],
            async_jobs: Vec::new(),
            paused: Arc::new((Mutex::new(false), Condvar::new())),
            handles: Vec::new(),
            last_tick: Utc::now(),
        }
    }

    pub async fn tick(&mut self) {
        let now = Utc::now();
        for (sched, job) in &self.jobs {
            if due(sched, self.last_tick, now) {
                let job = job.clone();
                self.handles.push(tokio::task::spawn_blocking(move || {
                    if let Err(e) = job.run() {
                        tracing::error!(job = job.name(), %e);
                    }
                }));
            }
        }
        for (sched, job) in &self.async_jobs {
            if due(sched, self.last_tick, now) {
                let job = job.clone();
                self.handles.push(tokio::spawn(async move {
                    let _ = job.run().await;
                }));
            }
        }
        self.last_tick = now;
        let (lock, cvar) = &*self.paused;
        let mut paused = lock.lock().unwrap(); //~ lock
        while *paused {
            paused = cvar.wait(paused).unwrap(); //~ thread_join
        }
    }

    pub async fn shutdown(self) {
        let results = futures::future::join_all(self.handles).await;
        tracing::info!(finished = results.len());
        let ready = Arc::new(Barrier::new(2));
        let r2 = ready.clone();
        let flusher = thread::spawn(move || {
            r2.wait(); //~ ok(thread_join)
            thread::sleep(Duration::from_millis(10)); //~ ok(sleep)
        });
        ready.wait(); //~ thread_join
        flusher.join().unwrap(); //~ thread_join
        let summary = thread::scope(|s| { //~ thread_join
            let h = s.spawn(|| "flushed");
            h.join().unwrap() //~ thread_join
        });
        tracing::info!(summary);
    }

    pub fn run_forever(mut self) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let paused = self.paused.clone();
        thread::spawn(move || loop {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).unwrap(); //~ ok(stdio)
            let (lock, cvar) = &*paused;
            *lock.lock().unwrap() = line.trim() == "pause"; //~ ok(lock)
            cvar.notify_all();
        });
        rt.block_on(async move { //~ ok(block_on)
            loop {
                self.tick().await;
                tokio::time::sleep(Duration::from_secs(1)).await; //~ ok(sleep)
            }
        });
    }
}
