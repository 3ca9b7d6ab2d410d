mod dns;
mod http;
mod ready;

pub use dns::{mx_hosts_blocking, resolve_blocking, DnsProbe};
pub use http::{fetch_body, head_async, HttpProbe};
pub use ready::wait_ready;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::TokioAsyncResolver;

use crate::config::Targets;
use crate::geo::GeoDb;
use crate::StateMap;

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Up { millis: u128 },
    Down(String),
}

/// A synchronous probe. Implementations do network I/O on the caller's thread.
pub trait Probe: Send + Sync {
    fn name(&self) -> String;
    fn check(&self) -> Status;
}

pub async fn async_round_loop(resolver: TokioAsyncResolver, targets: Targets, state: StateMap, geo: Arc<GeoDb>) {
    let mut tick = tokio::time::interval(Duration::from_secs(15));
    loop {
        tick.tick().await;

        for host in &targets.dns {
            let started = Instant::now();
            let status = match resolver.lookup_ip(host.as_str()).await { //~ ok(dns)
                Ok(ips) => {
                    for ip in ips.iter() {
                        if let Some(cc) = geo.country(ip) { //~ ok(fs)
                            tracing::debug!(%host, %ip, %cc, "resolved");
                        }
                    }
                    Status::Up { millis: started.elapsed().as_millis() }
                }
                Err(e) => {
                    // Cross-check with the blocking resolver before declaring it down.
                    match resolve_blocking(host) { //~ dns
                        Ok(v) if !v.is_empty() => Status::Up { millis: started.elapsed().as_millis() },
                        _ => Status::Down(e.to_string()),
                    }
                }
            };
            state.write().await.insert(format!("dns-async:{host}"), status); //~ ok(lock)
        }

        for addr in &targets.tcp {
            let started = Instant::now();
            let connect = tokio::net::TcpStream::connect(addr.as_str()); //~ ok(net)
            let mut status = match tokio::time::timeout(Duration::from_secs(3), connect).await { //~ ok(net)
                Ok(Ok(_)) => Status::Up { millis: started.elapsed().as_millis() },
                Ok(Err(e)) => Status::Down(e.to_string()),
                Err(_) => Status::Down("timeout".into()),
            };
            if matches!(status, Status::Down(_)) {
                if let Ok(sa) = addr.parse::<SocketAddr>() {
                    // Legacy double check with a plain socket.
                    if std::net::TcpStream::connect_timeout(&sa, Duration::from_secs(2)).is_ok() { //~ net
                        status = Status::Up { millis: started.elapsed().as_millis() };
                    }
                }
            }
            state.write().await.insert(format!("tcp:{addr}"), status); //~ ok(lock)
        }

        for url in targets.http.iter().filter(|u| u.starts_with("http://")) {
            let status = match head_async(url).await { //~ ok(http_blocking)
                Ok(code) => format!("{code}"),
                Err(e) => e.to_string(),
            };
            tracing::debug!(%url, %status, "async head");
        }

        if let Some(hook) = &targets.hook {
            if let Some(host) = hook.strip_prefix("http://").and_then(|r| r.split(['/', ':']).next()) {
                match mx_hosts_blocking(host) { //~ dns
                    Ok(mx) => tracing::debug!(?mx, "hook domain mx"),
                    Err(e) => tracing::debug!(error = %e, "no mx for hook domain"),
                }
            }
        }
    }
}
