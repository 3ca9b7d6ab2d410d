//! netwatch — periodic reachability probes (DNS, HTTP, TCP) with GeoIP
//! annotation and a webhook for state changes.

mod config;
mod geo;
mod probes;
mod report;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::config::{ResolverConfig, ResolverOpts};
use hickory_resolver::TokioAsyncResolver;
use tokio::sync::RwLock;

use crate::config::Targets;
use crate::geo::GeoDb;
use crate::probes::{DnsProbe, HttpProbe, Probe, Status};

pub type StateMap = Arc<RwLock<HashMap<String, Status>>>;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "targets.txt".into());
    let targets = Targets::load(&path)?; //~ fs
    let geo = Arc::new(match std::env::var("NETWATCH_GEOIP") {
        Ok(p) => GeoDb::open(&p)?, //~ fs
        Err(_) => GeoDb::empty(),
    });

    // Async resolver for the steady-state loop; the system variant reads
    // /etc/resolv.conf right here.
    let resolver = match TokioAsyncResolver::tokio_from_system_conf() { //~ fs
        Ok(r) => r,
        Err(_) => TokioAsyncResolver::tokio(ResolverConfig::cloudflare(), ResolverOpts::default()), //~ ok(dns)
    };

    let state: StateMap = Arc::new(RwLock::new(HashMap::new()));

    // Warm the blocking resolver cache for every DNS target.
    for host in &targets.dns {
        match probes::resolve_blocking(host) { //~ dns
            Ok(ips) => tracing::debug!(%host, n = ips.len(), "warm"),
            Err(e) => tracing::warn!(%host, error = %e, "warm-up failed"),
        }
    }
    if let Some(hook) = &targets.hook {
        let health = probes::fetch_body(hook); //~ http_blocking
        tracing::info!(ok = health.is_ok(), "hook reachable");
    }

    // Blocking probes implement the sync `Probe` trait.
    let mut dns_probes: Vec<Box<dyn Probe>> = Vec::new();
    for host in &targets.dns {
        dns_probes.push(Box::new(DnsProbe::new(host))); //~ ok(dns)
    }
    let mut http_probes: Vec<Box<dyn Probe>> = Vec::new();
    for url in &targets.http {
        http_probes.push(Box::new(HttpProbe::new(url, 5))); //~ ok(http_blocking)
    }

    // First round inline so the state map is populated before serving.
    for probe in &dns_probes {
        let status = probe.check(); //~ dns
        state.write().await.insert(probe.name(), status); //~ ok(lock)
    }
    for probe in http_probes.iter().take(3) {
        let status = probe.check(); //~ http_blocking
        state.write().await.insert(probe.name(), status); //~ ok(lock)
    }

    let mut blocking = dns_probes;
    blocking.extend(http_probes);
    let probes: Arc<Vec<Box<dyn Probe>>> = Arc::new(blocking);
    let sweeper = {
        let probes = probes.clone();
        let state = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(30));
            loop {
                tick.tick().await;
                let p = probes.clone();
                let results = tokio::task::spawn_blocking(move || { //~ ok(http_blocking)
                    p.iter().map(|p| (p.name(), p.check())).collect::<Vec<_>>()
                })
                .await;
                if let Ok(results) = results {
                    let mut st = state.write().await; //~ ok(lock)
                    for (name, status) in results {
                        st.insert(name, status);
                    }
                }
            }
        })
    };

    let async_loop = tokio::spawn(probes::async_round_loop(resolver.clone(), targets.clone(), state.clone(), geo.clone()));
    let reporter = tokio::spawn(report::run(state.clone(), targets.clone()));

    // Wait until the first async round finished before announcing readiness.
    probes::wait_ready(&state, targets.tcp.len()); //~ sleep
    tracing::info!("netwatch ready");

    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        r = sweeper => tracing::error!(?r, "sweeper exited"),
        r = async_loop => tracing::error!(?r, "async loop exited"),
        r = reporter => tracing::error!(?r, "reporter exited"),
    }
    if let Ok(p) = std::env::var("NETWATCH_GEOIP") {
        let reloaded = GeoDb::open(&p)?; //~ fs
        let bytes = tokio::fs::read(&p).await?; //~ ok(fs)
        let from_mem = GeoDb::from_bytes(bytes)?; //~ ok(fs)
        let probe_ip: std::net::IpAddr = "1.1.1.1".parse()?;
        let same = reloaded.country(probe_ip) == from_mem.country(probe_ip); //~ ok(fs)
        tracing::info!(same, "geo check");
    }
    report::write_final(&state, &targets.state_file).await?;
    Ok(())
}
