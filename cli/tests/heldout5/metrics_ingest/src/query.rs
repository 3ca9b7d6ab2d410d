use std::sync::Arc;

use rocksdb::DB;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::bus::{Job, WorkerBridge};

pub struct Query {
    pub series: String,
    pub reply: oneshot::Sender<Option<f64>>,
}

#[derive(Clone)]
pub struct QueryHandle {
    tx: async_channel::Sender<Query>,
}

pub fn spawn_query_thread(db: Arc<DB>) -> QueryHandle {
    let (tx, rx) = async_channel::bounded::<Query>(128);
    std::thread::spawn(move || {
        while let Ok(query) = rx.recv_blocking() { //~ ok(channel)
            let value = db
                .get(format!("latest:{}", query.series)) //~ ok(db)
                .ok()
                .flatten()
                .and_then(|bytes| bytes.try_into().ok())
                .map(f64::from_le_bytes);
            let _ = query.reply.send(value);
        }
    });
    QueryHandle { tx }
}

impl QueryHandle {
    pub async fn latest_blocking(&self, series: &str) -> anyhow::Result<Option<f64>> {
        let (reply, rx) = oneshot::channel();
        self.tx.send_blocking(Query { series: series.to_string(), reply })?; //~ channel
        Ok(rx.recv()?) //~ channel
    }

    pub async fn latest(&self, series: &str) -> anyhow::Result<Option<f64>> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Query { series: series.to_string(), reply }).await?; //~ ok(channel)
        Ok(rx.await?) //~ ok(channel)
    }
}

pub async fn serve(addr: &str, queries: QueryHandle, workers: WorkerBridge) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    loop {
        let (stream, _) = listener.accept().await?;
        let queries = queries.clone();
        let workers = workers.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let reply = match line.split_once(' ') {
                    Some(("GET", series)) => format!("{:?}\n", queries.latest(series).await),
                    Some(("GETSYNC", series)) => format!("{:?}\n", queries.latest_blocking(series).await),
                    Some(("DOWNSAMPLE", prefix)) => {
                        let job = Job::Downsample { prefix: prefix.to_string(), bucket_secs: 60 };
                        let _ = workers.submit(job).await;
                        format!("{:?}\n", workers.next_result().await.map(|r| r.affected))
                    }
                    Some(("DELETE", prefix)) => {
                        let _ = workers.submit_async(Job::Delete { prefix: prefix.to_string() }).await;
                        format!("{:?}\n", workers.next_result_async().await.map(|r| r.affected))
                    }
                    _ => match workers.poll_result().await {
                        Some(done) => format!("done {} {}\n", done.job, done.affected),
                        None => "ERR unknown command\n".to_string(),
                    },
                };
                if write.write_all(reply.as_bytes()).await.is_err() {
                    break;
                }
            }
        });
    }
}
