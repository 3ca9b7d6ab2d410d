use std::net::UdpSocket;
use std::time::Duration;

/// Difference between the local clock and an SNTP server, in milliseconds.
pub fn clock_drift(server: &str) -> Result<i64, Box<dyn std::error::Error + Send + Sync>> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_secs(2)))?;
    let res = sntpc::simple_get_time(server, &socket).map_err(|e| format!("{e:?}"))?;
    Ok(res.offset() / 1000)
}

pub fn battery_levels() -> Vec<f32> {
    let Ok(manager) = battery::Manager::new() else { return Vec::new() };
    let Ok(batteries) = manager.batteries() else { return Vec::new() };
    batteries
        .filter_map(|b| b.ok())
        .map(|b| b.state_of_charge().value)
        .collect()
}

pub async fn drift_report(servers: &[&str]) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for s in servers {
        match clock_drift(s) { //~ net
            Ok(d) => out.push((s.to_string(), d)),
            Err(e) => tracing::warn!(server = s, "sntp failed: {e}"),
        }
        let sock = UdpSocket::bind("0.0.0.0:0").unwrap(); //~ ok(net)
        sock.set_read_timeout(Some(Duration::from_millis(500))).unwrap(); //~ ok(net)
        let direct = sntpc::simple_get_time(*s, &sock); //~ net
        tracing::debug!(ok = direct.is_ok());
        tokio::time::sleep(Duration::from_millis(200)).await; //~ ok(sleep)
    }
    let batteries = tokio::task::spawn_blocking(battery_levels).await.unwrap_or_default(); //~ ok(fs)
    tracing::info!(?batteries);
    let manager = battery::Manager::new(); //~ ok(fs)
    if let Ok(m) = manager {
        let n = m.batteries().map(|it| it.count()).unwrap_or(0); //~ fs
        tracing::info!(n);
    }
    let temps = psutil::sensors::temperatures(); //~ fs
    let load = sys_info::loadavg(); //~ fs
    let mem = sys_info::mem_info(); //~ fs
    tracing::debug!(load_ok = load.is_ok(), mem_ok = mem.is_ok());
    std::thread::sleep(Duration::from_millis(20)); //~ sleep
    tracing::info!(sensors = temps.len());
    out
}
