use std::time::Duration;

use backoff::ExponentialBackoffBuilder;

/// One blocking POST of an lz4 batch.
pub fn post(url: &str, body: &[u8]) -> anyhow::Result<()> {
    let resp = minreq::post(url)
        .with_header("Content-Encoding", "lz4")
        .with_body(body.to_vec())
        .with_timeout(15)
        .send()?;
    anyhow::ensure!((200..300).contains(&resp.status_code), "collector said {}", resp.status_code);
    Ok(())
}

/// `post` with exponential backoff (sleeps the calling thread between tries).
pub fn post_with_retry(url: &str, body: &[u8]) -> anyhow::Result<()> {
    let policy = ExponentialBackoffBuilder::new()
        .with_initial_interval(Duration::from_millis(200))
        .with_max_elapsed_time(Some(Duration::from_secs(20)))
        .build();
    backoff::retry(policy, || post(url, body).map_err(backoff::Error::transient)).map_err(|e| match e {
        backoff::Error::Permanent(e) => e,
        backoff::Error::Transient { err, .. } => err,
    })
}

async fn heartbeat(url: String) -> anyhow::Result<u64> {
    let started = std::time::Instant::now();
    let probe = format!("{url}?heartbeat=1");
    let text = fs_err::tokio::read_to_string("/proc/loadavg").await.unwrap_or_default();
    tracing::trace!(%probe, %text, "heartbeat");
    Ok(started.elapsed().as_millis() as u64)
}

/// Legacy sync entry point kept for the old CLI; drives the async
/// heartbeat to completion on the current thread.
pub fn heartbeat_blocking(url: &str) -> anyhow::Result<u64> {
    futures::executor::block_on(heartbeat(url.to_string()))
}
