use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;

use crate::config::UpstreamConfig;

#[derive(Debug)]
pub struct Backend {
    pub host: String,
    pub addr: SocketAddr,
    pub weight: u32,
    healthy: AtomicBool,
}

impl Backend {
    pub fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

fn resolve(cfgs: &[UpstreamConfig]) -> std::io::Result<Vec<Arc<Backend>>> {
    let mut out = Vec::new();
    for c in cfgs {
        for addr in (c.host.as_str(), c.port).to_socket_addrs()? {
            out.push(Arc::new(Backend {
                host: c.host.clone(),
                addr,
                weight: c.weight,
                healthy: AtomicBool::new(true),
            }));
        }
    }
    Ok(out)
}

pub struct UpstreamPool {
    backends: RwLock<Vec<Arc<Backend>>>,
    cursor: AtomicUsize,
    probe_timeout: Duration,
}

impl UpstreamPool {
    pub fn from_config(cfgs: &[UpstreamConfig]) -> std::io::Result<Self> {
        Ok(Self {
            backends: RwLock::new(resolve(cfgs)?),
            cursor: AtomicUsize::new(0),
            probe_timeout: Duration::from_millis(800),
        })
    }

    pub fn replace(&self, cfgs: &[UpstreamConfig]) -> std::io::Result<usize> {
        let fresh = resolve(cfgs)?;
        let n = fresh.len();
        *self.backends.write() = fresh;
        Ok(n)
    }

    pub fn pick(&self) -> Option<Arc<Backend>> {
        let list = self.backends.read();
        let n = list.len();
        for _ in 0..n {
            let i = self.cursor.fetch_add(1, Ordering::Relaxed) % n;
            if list[i].is_healthy() {
                return Some(list[i].clone());
            }
        }
        None
    }

    pub fn mark_down(&self, backend: &Backend) {
        backend.healthy.store(false, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Vec<(String, SocketAddr, bool)> {
        self.backends
            .read()
            .iter()
            .map(|b| (b.host.clone(), b.addr, b.is_healthy()))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.backends.read().len()
    }

    fn probe(&self, backend: &Backend) -> bool {
        TcpStream::connect_timeout(&backend.addr, self.probe_timeout).is_ok()
    }

    fn check_all(&self) -> usize {
        let list: Vec<Arc<Backend>> = self.backends.read().clone();
        let mut healthy = 0;
        for b in list {
            let ok = self.probe(&b);
            b.healthy.store(ok, Ordering::Relaxed);
            healthy += ok as usize;
        }
        healthy
    }

    pub async fn health_loop(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            let healthy = self.check_all(); //~ net
            let total = self.len(); //~ lock
            if healthy == 0 && total > 0 {
                tracing::error!(total, "no healthy upstreams");
            }
        }
    }
}
