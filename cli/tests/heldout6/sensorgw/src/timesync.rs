use std::net::SocketAddr;
use std::time::Duration;

use rsntp::{AsyncSntpClient, SntpClient};

use crate::config::GwConfig;

/// One blocking SNTP round trip; returns the local clock offset in seconds.
pub fn offset_blocking(server: SocketAddr) -> anyhow::Result<f64> {
    let mut client = SntpClient::new();
    client.set_timeout(Duration::from_secs(3));
    let res = client.synchronize(server)?;
    Ok(res.clock_offset().as_secs_f64())
}

pub async fn offset(server: SocketAddr) -> anyhow::Result<f64> {
    let mut client = AsyncSntpClient::new();
    client.set_timeout(Duration::from_secs(3));
    let res = client.synchronize(server).await?;
    Ok(res.clock_offset().as_secs_f64())
}

/// Background drift monitor.
pub async fn watch_drift(cfg: GwConfig) {
    let mut tick = tokio::time::interval(Duration::from_secs(900));
    let mut failures = 0u32;
    loop {
        tick.tick().await;
        match offset(cfg.ntp_server).await { //~ ok(net)
            Ok(off) if off.abs() > cfg.max_skew_secs => tracing::warn!(off, "clock drifting"),
            Ok(_) => failures = 0,
            Err(e) => {
                failures += 1;
                tracing::warn!(error = %e, failures, "sntp failed");
                if failures >= 3 {
                    // Last resort: one direct query with a fresh client.
                    let client = SntpClient::new(); //~ ok(net)
                    if let Ok(res) = client.synchronize(cfg.ntp_server) { //~ net
                        tracing::info!(stratum = res.stratum(), "direct sntp ok");
                    }
                    failures = 0;
                }
            }
        }
    }
}
