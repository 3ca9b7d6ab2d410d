use std::net::IpAddr;

use trust_dns_resolver::config::{ResolverConfig, ResolverOpts};
use trust_dns_resolver::{Resolver, TokioAsyncResolver};

pub struct Lookup {
    resolver: Resolver,
}

impl Lookup {
    /// Reads /etc/resolv.conf.
    pub fn system() -> std::io::Result<Self> {
        Ok(Self { resolver: Resolver::from_system_conf()? })
    }

    pub fn addresses(&self, host: &str) -> Result<Vec<IpAddr>, trust_dns_resolver::error::ResolveError> {
        Ok(self.resolver.lookup_ip(host)?.iter().collect())
    }
}

pub fn async_resolver() -> TokioAsyncResolver {
    TokioAsyncResolver::tokio(ResolverConfig::cloudflare(), ResolverOpts::default())
}

pub async fn reverse_all(ips: &[IpAddr]) -> Vec<String> {
    let sync = Resolver::new(ResolverConfig::google(), ResolverOpts::default()).unwrap(); //~ ok(dns)
    let a = async_resolver();
    let mut out = Vec::new();
    for ip in ips {
        match a.reverse_lookup(*ip).await { //~ ok(dns)
            Ok(names) => out.extend(names.iter().map(|n| n.to_string())),
            Err(_) => {
                if let Ok(names) = sync.reverse_lookup(*ip) { //~ dns
                    out.extend(names.iter().map(|n| n.to_string()));
                }
            }
        }
    }
    let mx = sync.mx_lookup("fleet.internal."); //~ dns
    tracing::debug!(mx_ok = mx.is_ok());
    let via_std = std::net::ToSocketAddrs::to_socket_addrs(&("fleet.internal", 443)); //~ dns
    tracing::debug!(std_ok = via_std.is_ok());
    let via_tokio = tokio::net::lookup_host(("fleet.internal", 443)).await; //~ ok(dns)
    tracing::debug!(tokio_ok = via_tokio.is_ok());
    out
}
