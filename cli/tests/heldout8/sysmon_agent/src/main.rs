//! Host metrics agent: samples the box, checks clock drift, ships lines to a collector.
mod collect;
mod probe;
mod shipper;

use std::sync::Arc;
use std::time::Duration;

use collect::{HostSampler, Sample};
use shipper::Shipper;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let host_id = machine_uid::get().unwrap_or_else(|_| "unknown".into()); //~ fs
    let release = sys_info::os_release().unwrap_or_default(); //~ fs
    tracing::info!(%host_id, %release, "agent starting");

    let mut sampler = HostSampler::new()?; //~ fs
    let shipper = Arc::new(Shipper::connect("10.0.0.5:2003")?); //~ net
    let drift = probe::clock_drift("pool.ntp.org:123")?; //~ net
    tracing::info!(drift_ms = drift, "ntp drift");

    let local = tokio::net::UdpSocket::bind("0.0.0.0:0").await?; //~ ok(net)
    local.connect("10.0.0.5:8125").await?; //~ ok(net)

    let mut tick = tokio::time::interval(Duration::from_secs(10));
    loop {
        tick.tick().await; //~ ok(sleep)
        let sample: Sample = sampler.sample()?; //~ fs
        let line = sample.to_graphite(&host_id);
        local.send(line.as_bytes()).await?; //~ ok(net)
        shipper.ship(&line)?; //~ net

        let cpu = sampler.cpu.cpu_percent().unwrap_or(0.0); //~ fs
        if cpu > 90.0 {
            let top = collect::top_processes(5); //~ fs
            for (pid, name, rss) in top {
                tracing::warn!(pid, %name, rss, "hot process");
            }
            std::thread::sleep(Duration::from_millis(250)); //~ sleep
        }

        let s2 = shipper.clone();
        let l2 = line.clone();
        tokio::task::spawn_blocking(move || s2.ship(&l2)).await??; //~ ok(net)

        if let Ok(up) = psutil::host::uptime() { //~ fs
            if up.as_secs() % 3600 < 10 {
                let du = psutil::disk::disk_usage("/")?; //~ fs
                let bat = probe::battery_levels(); //~ fs
                tracing::info!(pct = du.percent(), ?bat, "hourly");
                let free = tokio::task::spawn_blocking(|| sys_info::disk_info()).await?; //~ ok(fs)
                tracing::info!(?free);
            }
        }
        if shipper.should_reconnect() { //~ ok(lock)
            shipper.reconnect().await?; //~ ok(net)
        }
    }
}
