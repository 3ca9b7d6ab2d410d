use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use super::*;

pub struct NetCollector {
    targets: Vec<SocketAddr>,
    timeout: Duration,
}

impl NetCollector {
    pub fn new(targets: Vec<SocketAddr>) -> Self {
        Self {
            targets,
            timeout: Duration::from_secs(1),
        }
    }

    pub fn resolve(&self, target: &str) -> io::Result<Vec<SocketAddr>> {
        Ok(target.to_socket_addrs()?.collect())
    }

    pub fn target_count(&self) -> usize {
        self.targets.len()
    }
}

impl Collector for NetCollector {
    fn name(&self) -> &'static str {
        "net"
    }

    fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()> {
        for t in &self.targets {
            let start = Instant::now();
            let up = TcpStream::connect_timeout(t, self.timeout).is_ok();
            out.push(Sample::new("probe_success", up as u8 as f64).label("target", t.to_string()));
            out.push(
                Sample::new("probe_duration_seconds", start.elapsed().as_secs_f64())
                    .label("target", t.to_string()),
            );
        }
        let dev = fs::read_to_string("/proc/net/dev")?;
        for line in dev.lines().skip(2) {
            let Some((iface, rest)) = line.split_once(':') else { continue };
            let cols: Vec<f64> = rest.split_whitespace().filter_map(|c| c.parse().ok()).collect();
            if cols.len() >= 9 {
                out.push(Sample::new("node_network_receive_bytes_total", cols[0]).label("device", iface.trim()));
                out.push(Sample::new("node_network_transmit_bytes_total", cols[8]).label("device", iface.trim()));
            }
        }
        Ok(())
    }
}
