mod compute;
mod exec;
mod queue;
mod runner;
mod signals;

use anyhow::Result;

#[derive(Clone, Debug)]
pub struct Config {
    pub faktory_url: String,
    pub kafka_brokers: String,
    pub events_topic: String,
    pub group_id: String,
    pub workdir: String,
    pub queues: Vec<String>,
}

impl Config {
    pub fn from_env() -> Self {
        let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.into());
        Config {
            faktory_url: var("FAKTORY_URL", "tcp://localhost:7419"),
            kafka_brokers: var("KAFKA_BROKERS", "localhost:9092"),
            events_topic: var("EVENTS_TOPIC", "build-events"),
            group_id: var("GROUP_ID", "jobrunner"),
            workdir: var("WORKDIR", "/var/lib/jobrunner"),
            queues: var("QUEUES", "default,builds").split(',').map(String::from).collect(),
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> Result<()> {
    let cfg = Config::from_env();
    let mut rt = runner::Runner::new(cfg.clone())?; //~ ok(net)
    rt.preflight().await?;
    let shutdown = signals::install()?; //~ ok(channel)
    tokio::select! {
        r = rt.run() => r?,
        _ = signals::wait_async() => tracing::info!("signal received"), //~ ok(channel)
    }
    if shutdown.load(std::sync::atomic::Ordering::SeqCst) {
        signals::block_until_second_signal(); //~ channel
    }
    rt.drain().await
}
