mod config;
mod field;
mod gateway;
mod uplink;

pub use gateway::diagnose;

use std::sync::Arc;

use anyhow::Result;
use tracing::info;

use crate::config::GatewayConfig;
use crate::gateway::Gateway;

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt::init();
    let path = std::env::args().nth(1).unwrap_or_else(|| "/etc/plc-gateway.json".into());

    let cfg = config::load_config(&path)?; //~ fs
    let cfg_async = config::load_config_async(&path).await?; //~ ok(fs)
    info!(site = %cfg.site, reloaded = cfg_async.site == cfg.site, "config loaded");

    let skew = config::check_clock_skew(&cfg.ntp_server)?; //~ net
    if skew.abs() > 2.0 {
        tracing::warn!(skew, "clock skew too large, continuing anyway");
    }
    let skew_bg = config::check_clock_skew_blocking(cfg.ntp_server.clone()).await?; //~ ok(net)
    info!(skew_bg, "background clock check done");

    let gw = Arc::new(Gateway::build(cfg).await?);
    gw.clone().run_forever().await
}

#[allow(dead_code)]
async fn diag_entry(addr: &str, broker: &str) -> Result<()> {
    let _ = GatewayConfig::clone;
    diagnose(addr.parse()?, broker).await //~ ok(net)
}
