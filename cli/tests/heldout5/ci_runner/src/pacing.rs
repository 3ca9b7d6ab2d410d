use std::time::Duration;

use spin_sleep::SpinSleeper;

use crate::steps;

pub async fn settle(ms: u64) {
    let sleeper = SpinSleeper::new(100_000); //~ ok(sleep)
    sleeper.sleep(Duration::from_millis(ms)); //~ sleep
}

pub async fn pace_until_ready(server: &duct::Handle) -> anyhow::Result<()> {
    for attempt in 0..50 {
        if steps::server_exited(server).await? {
            anyhow::bail!("server exited during startup");
        }
        if tokio::net::TcpStream::connect("127.0.0.1:18080").await.is_ok() {
            tracing::debug!(attempt, "server ready");
            return Ok(());
        }
        if attempt < 10 {
            spin_sleep::sleep(Duration::from_millis(20)); //~ sleep
        } else {
            tokio::time::sleep(Duration::from_millis(200)).await; //~ ok(sleep)
        }
    }
    anyhow::bail!("server did not become ready")
}
