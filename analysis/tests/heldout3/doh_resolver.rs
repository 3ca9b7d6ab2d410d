//! DNS-over-HTTPS front end: accepts `application/dns-message` POSTs, answers
//! from a cache or the hosts file, and forwards misses to an upstream
//! resolver over UDP.

use std::collections::HashMap;
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::{body::Bytes, extract::State, http::StatusCode};
use lru::LruCache;

type Cache = Mutex<LruCache<Vec<u8>, (Vec<u8>, Instant)>>;

pub struct Resolver {
    upstream: SocketAddr,
    sock: UdpSocket,
    async_sock: tokio::net::UdpSocket,
    cache: Cache,
    hosts: HashMap<String, std::net::IpAddr>,
    stats: dashmap::DashMap<String, u64>,
}

pub fn load_hosts(path: &str) -> std::io::Result<HashMap<String, std::net::IpAddr>> {
    let text = std::fs::read_to_string(path)?; //~ ok(fs)
    let mut map = HashMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        if let (Some(ip), Some(name)) = (parts.next(), parts.next()) {
            if let Ok(ip) = ip.parse() {
                map.insert(name.to_owned(), ip);
            }
        }
    }
    Ok(map)
}

impl Resolver {
    pub async fn new(upstream: &str) -> anyhow::Result<Self> {
        let upstream = upstream.to_socket_addrs()?.next().unwrap(); //~ dns
        let sock = UdpSocket::bind("0.0.0.0:0")?; //~ ok(net)
        sock.set_read_timeout(Some(Duration::from_secs(2)))?;
        let async_sock = tokio::net::UdpSocket::bind("0.0.0.0:0").await?; //~ ok(net)
        Ok(Self {
            upstream,
            sock,
            async_sock,
            cache: Mutex::new(LruCache::new(4096.try_into()?)),
            hosts: load_hosts("/etc/hosts")?,
            stats: Default::default(),
        })
    }

    pub async fn forward_blocking(&self, query: &[u8]) -> std::io::Result<Vec<u8>> {
        self.sock.send_to(query, self.upstream)?; //~ net
        let mut buf = [0u8; 1500];
        let (n, from) = self.sock.recv_from(&mut buf)?; //~ net
        debug_assert_eq!(from, self.upstream);
        Ok(buf[..n].to_vec())
    }

    pub async fn forward(&self, query: &[u8]) -> std::io::Result<Vec<u8>> {
        self.async_sock.send_to(query, self.upstream).await?; //~ ok(net)
        let mut buf = vec![0u8; 1500];
        let fut = self.async_sock.recv_from(&mut buf); //~ ok(net)
        let (n, _) = tokio::time::timeout(Duration::from_secs(2), fut).await??;
        buf.truncate(n);
        Ok(buf)
    }

    pub async fn cached(&self, query: &[u8]) -> Option<Vec<u8>> {
        let mut cache = self.cache.lock().unwrap(); //~ lock
        match cache.get(query) { //~ ok(db)
            Some((answer, expires)) if *expires > Instant::now() => Some(answer.clone()),
            _ => None,
        }
    }

    pub async fn remember(&self, query: Vec<u8>, answer: Vec<u8>, ttl: u32) {
        let expires = Instant::now() + Duration::from_secs(ttl.into());
        self.cache.lock().unwrap().put(query, (answer, expires)); //~ lock
        *self.stats.entry("stored".into()).or_default() += 1;
    }

    pub async fn from_hosts(&self, name: &str) -> Option<std::net::IpAddr> {
        self.hosts.get(name.trim_end_matches('.')).copied() //~ ok(db)
    }

    pub async fn reload_hosts(&mut self) -> std::io::Result<()> {
        if std::path::Path::new("/etc/hosts").metadata()?.len() > 0 { //~ fs
            self.hosts = load_hosts("/etc/hosts")?;
        }
        Ok(())
    }

    pub async fn resolve_name(&self, name: &str) -> std::io::Result<Vec<SocketAddr>> {
        let owned = format!("{name}:443");
        let addrs = tokio::task::spawn_blocking(move || owned.to_socket_addrs().map(|a| a.collect())) //~ ok(dns)
            .await??;
        Ok(addrs)
    }
}

pub async fn dns_query(State(r): State<std::sync::Arc<Resolver>>, body: Bytes) -> Result<Vec<u8>, StatusCode> {
    if let Some(hit) = r.cached(&body).await {
        return Ok(hit);
    }
    let answer = match r.forward(&body).await {
        Ok(a) => a,
        Err(_) => r.forward_blocking(&body).await.map_err(|_| StatusCode::BAD_GATEWAY)?,
    };
    r.remember(body.to_vec(), answer.clone(), 60).await;
    Ok(answer)
}

pub async fn warm_up(r: &Resolver, names: &[&str]) {
    let addrs: Vec<_> = names
        .iter()
        .filter_map(|n| format!("{n}:53").to_socket_addrs().ok()) //~ dns
        .collect();
    tracing::info!(warmed = addrs.len(), "cache warm-up");
    let (a, b) = tokio::join!(r.forward(b"\x00\x01"), r.forward(b"\x00\x02"));
    if a.is_err() || b.is_err() {
        std::thread::sleep(Duration::from_millis(250)); //~ sleep
    }
}
