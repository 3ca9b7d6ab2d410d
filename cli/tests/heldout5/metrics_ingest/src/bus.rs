use std::sync::Arc;

use rocksdb::DB;

use crate::stats;
use crate::storage::{Point, Store};

#[derive(Debug)]
pub enum Job {
    Downsample { prefix: String, bucket_secs: i64 },
    Delete { prefix: String },
}

#[derive(Debug)]
pub struct JobResult {
    pub job: String,
    pub affected: usize,
}

impl Job {
    fn run(&self, db: &DB) -> JobResult {
        match self {
            Job::Downsample { prefix, bucket_secs } => {
                let rows = db.prefix_iterator(prefix.as_bytes()).filter_map(Result::ok).count();
                JobResult {
                    job: format!("downsample {prefix} {bucket_secs}s"),
                    affected: rows,
                }
            }
            Job::Delete { prefix } => {
                let mut end = prefix.as_bytes().to_vec();
                end.push(0xff);
                let ok = db.delete_range(prefix.as_bytes(), &end).is_ok();
                JobResult {
                    job: format!("delete {prefix}"),
                    affected: ok as usize,
                }
            }
        }
    }
}

#[derive(Clone)]
pub struct WorkerBridge {
    jobs: kanal::Sender<Job>,
    results: kanal::Receiver<JobResult>,
}

pub fn spawn_workers(n: usize, db: Arc<DB>) -> WorkerBridge {
    let (job_tx, job_rx) = kanal::bounded::<Job>(64);
    let (res_tx, res_rx) = kanal::bounded::<JobResult>(64);
    for id in 0..n {
        let job_rx = job_rx.clone();
        let res_tx = res_tx.clone();
        let db = db.clone();
        std::thread::Builder::new()
            .name(format!("tsdb-worker-{id}"))
            .spawn(move || {
                while let Ok(job) = job_rx.recv() { //~ ok(channel)
                    let result = job.run(&db); //~ ok(db)
                    if res_tx.send(result).is_err() { //~ ok(channel)
                        break;
                    }
                }
            })
            .expect("spawn worker");
    }
    WorkerBridge {
        jobs: job_tx,
        results: res_rx,
    }
}

impl WorkerBridge {
    pub async fn submit(&self, job: Job) -> anyhow::Result<()> {
        self.jobs.send(job)?; //~ channel
        Ok(())
    }

    pub async fn next_result(&self) -> anyhow::Result<JobResult> {
        Ok(self.results.recv()?) //~ channel
    }

    pub async fn poll_result(&self) -> Option<JobResult> {
        self.results.try_recv().ok().flatten() //~ ok(channel)
    }

    pub async fn submit_async(&self, job: Job) -> anyhow::Result<()> {
        self.jobs.as_async().send(job).await?; //~ ok(channel)
        Ok(())
    }

    pub async fn next_result_async(&self) -> anyhow::Result<JobResult> {
        Ok(self.results.as_async().recv().await?) //~ ok(channel)
    }
}

pub async fn forward_batches(rx: async_channel::Receiver<Vec<Point>>, store: Arc<Store>) {
    while let Ok(batch) = rx.recv().await { //~ ok(channel)
        stats::record(batch.len()).await;
        if let Err(err) = store.write_batch(&batch).await {
            tracing::error!(%err, "batch write failed");
        }
    }
}

pub async fn drain_on_shutdown(rx: async_channel::Receiver<Vec<Point>>) -> usize {
    let mut points = 0;
    while let Ok(batch) = rx.recv_blocking() { //~ channel
        points += batch.len();
    }
    points
}

pub async fn enqueue(tx: &async_channel::Sender<Vec<Point>>, batch: Vec<Point>) -> anyhow::Result<()> {
    if tx.is_full() {
        stats::note_backpressure().await;
        tx.send_blocking(batch)?; //~ channel
    } else {
        tx.send(batch).await?; //~ ok(channel)
    }
    Ok(())
}
