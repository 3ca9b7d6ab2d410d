// pollguard::dns: name resolution through `ToSocketAddrs`.
use std::net::ToSocketAddrs;

#[pollguard::no_blocking]
async fn resolve(host: &str) -> std::io::Result<usize> {
    let addrs = (host, 443).to_socket_addrs()?;
    Ok(addrs.count())
}

fn main() {}
