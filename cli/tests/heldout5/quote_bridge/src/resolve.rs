use std::net::{IpAddr, Ipv4Addr};

pub fn pinned_ipv4(host: &str) -> Option<Ipv4Addr> {
    dns_lookup::lookup_host(host).ok()?.find_map(|ip| match ip {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(_) => None,
    })
}

pub async fn resolve_all(hosts: &[String]) -> anyhow::Result<Vec<(String, Vec<IpAddr>)>> {
    let mut out = Vec::with_capacity(hosts.len());
    for host in hosts {
        let ips: Vec<IpAddr> = dns_lookup::lookup_host(host)?.collect(); //~ dns
        if let Some(first) = ips.first() {
            let ptr = dns_lookup::lookup_addr(first)?; //~ dns
            tracing::debug!(%host, %ptr, "resolved feed host");
        }
        out.push((host.clone(), ips));
    }
    Ok(out)
}

pub async fn resolve_async(host: &str, port: u16) -> anyhow::Result<Vec<IpAddr>> {
    let addrs = tokio::net::lookup_host((host, port)).await?; //~ ok(dns)
    Ok(addrs.map(|a| a.ip()).collect())
}

pub async fn resolve_offthread(host: String) -> anyhow::Result<Vec<IpAddr>> {
    let ips = tokio::task::spawn_blocking(move || {
        dns_lookup::lookup_host(&host).map(|ips| ips.collect::<Vec<_>>()) //~ ok(dns)
    })
    .await??;
    Ok(ips)
}

pub async fn choose_endpoint(endpoints: &[(String, Vec<IpAddr>)]) -> anyhow::Result<String> {
    let reachable: Vec<&String> = endpoints.iter().filter(|(_, ips)| !ips.is_empty()).map(|(h, _)| h).collect();
    let host = match reachable.len() {
        0 => anyhow::bail!("no feed host resolved"),
        1 => reachable[0].clone(),
        _ => {
            let picked = dialoguer::Select::new().with_prompt("Feed endpoint").items(&reachable).default(0).interact()?; //~ stdio
            reachable[picked].clone()
        }
    };
    let verified = resolve_async(&host, 443).await?;
    if verified.is_empty() {
        let fallback = resolve_offthread(host.clone()).await?;
        anyhow::ensure!(!fallback.is_empty(), "{host} stopped resolving");
    }
    Ok(format!("wss://{host}/v2/quotes"))
}
