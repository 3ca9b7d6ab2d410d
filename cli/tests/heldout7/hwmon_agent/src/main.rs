//! Hardware monitoring agent for the lab racks: host metrics from procfs and
//! sysfs, fan controller over I2C, UPS/PDU over SNMP, pushed to a Prometheus
//! Pushgateway. `--console` shows a live view in the terminal.

mod console;
mod inventory;
mod metrics;
mod sampler;
mod sensors;
mod snmp_poll;

use std::sync::Arc;
use std::time::Duration;

use tracing::{error, info};

use crate::metrics::Metrics;
use crate::sampler::Sampler;
use crate::snmp_poll::{TrapListener, UpsPoller};

pub const PUSHGATEWAY: &str = "http://pushgw.lab.internal:9091";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let console_mode = std::env::args().any(|a| a == "--console");
    let host = inventory::describe_host().await?;
    info!(os = %host.os, cores = host.cores, "starting agent");

    let metrics = Arc::new(Metrics::new(&host.hostname)?);
    let traps = TrapListener::spawn("0.0.0.0:1162")?; //~ ok(net)
    let mut sampler = Sampler::new(metrics.clone(), "/dev/i2c-1", 0x2f); //~ ok(fs)
    let mut ups = UpsPoller::connect("ups-a.lab.internal:161", b"public")?; //~ dns

    if console_mode {
        console::run(metrics.clone()).await?;
        return Ok(());
    }

    let mut tick = tokio::time::interval(Duration::from_secs(15));
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tick.tick() => {} //~ ok(sleep)
        }
        if let Err(e) = sampler.sample_once().await {
            error!("sampling failed: {e}");
        }
        match snmp_poll::poll_ups(&mut ups) { //~ net
            Ok(reading) => metrics.record_ups(&reading),
            Err(e) => error!("ups poll failed: {e}"),
        }
        while let Ok(trap) = traps.events.recv_timeout(Duration::from_millis(20)) { //~ channel
            metrics.ups_traps.inc();
            info!(from = %trap.source, oid = %trap.oid, "snmp trap");
        }
        if let Err(e) = metrics.push(PUSHGATEWAY) { //~ http_blocking
            error!("push failed: {e}");
        }
    }
    // Final push on the blocking pool so the gateway sees the last sample.
    let last = metrics.clone();
    tokio::task::spawn_blocking(move || last.push(PUSHGATEWAY)).await?.ok(); //~ ok(http_blocking)
    traps.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    traps.handle.join().ok(); //~ thread_join
    Ok(())
}
