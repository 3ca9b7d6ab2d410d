use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

use hickory_resolver::config::{ResolverConfig, ResolverOpts};
use hickory_resolver::Resolver;

use super::{Probe, Status};

static RESOLVER: OnceLock<Resolver> = OnceLock::new();

fn resolver() -> &'static Resolver {
    RESOLVER.get_or_init(|| {
        Resolver::new(ResolverConfig::default(), ResolverOpts::default()).expect("resolver runtime")
    })
}

pub fn resolve_blocking(host: &str) -> anyhow::Result<Vec<IpAddr>> {
    let lookup = resolver().lookup_ip(host)?;
    Ok(lookup.iter().collect())
}

pub fn mx_hosts_blocking(domain: &str) -> anyhow::Result<Vec<String>> {
    let mx = resolver().mx_lookup(domain)?;
    Ok(mx.iter().map(|m| m.exchange().to_utf8()).collect())
}

pub struct DnsProbe {
    host: String,
}

impl DnsProbe {
    pub fn new(host: &str) -> Self {
        DnsProbe { host: host.to_string() }
    }
}

impl Probe for DnsProbe {
    fn name(&self) -> String {
        format!("dns:{}", self.host)
    }

    fn check(&self) -> Status {
        let started = Instant::now();
        match resolve_blocking(&self.host) {
            Ok(ips) if !ips.is_empty() => Status::Up { millis: started.elapsed().as_millis() },
            Ok(_) => Status::Down("no addresses".into()),
            Err(e) => Status::Down(e.to_string()),
        }
    }
}
