use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct RegisterBlock {
    pub name: String,
    pub start: u16,
    pub count: u16,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GatewayConfig {
    pub site: String,
    pub plc_addr: String,
    pub slave_id: u8,
    pub serial_device: Option<String>,
    pub serial_baud: u32,
    pub mqtt_uri: String,
    pub mqtt_client_id: String,
    pub ntp_server: String,
    pub poll_ms: u64,
    pub state_file: String,
    pub blocks: Vec<RegisterBlock>,
}

/// Synchronous config loader used by `main` and the reload path.
pub fn load_config(path: &str) -> anyhow::Result<GatewayConfig> {
    let raw = std::fs::read_to_string(path)?;
    Ok(serde_json::from_str(&raw)?)
}

pub async fn load_config_async(path: &str) -> anyhow::Result<GatewayConfig> {
    let raw = tokio::fs::read_to_string(path).await?;
    Ok(serde_json::from_str(&raw)?)
}

pub fn parse_config(raw: &str) -> anyhow::Result<GatewayConfig> {
    Ok(serde_json::from_str(raw)?)
}

// --- NTP sanity checks before we start stamping PLC samples ---

const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

fn packet_to_unix(p: &ntp::packet::Packet) -> f64 {
    let ts = &p.transmit_time;
    (ts.sec as u64 - NTP_UNIX_OFFSET) as f64 + ts.frac as f64 / u32::MAX as f64
}

/// Asks the NTP server for the time and returns local - remote in seconds.
pub fn check_clock_skew(server: &str) -> anyhow::Result<f64> {
    let packet = ntp::request(server).map_err(|e| anyhow::anyhow!("ntp: {e}"))?;
    let remote = packet_to_unix(&packet);
    let local = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
    Ok(local - remote)
}

/// Same check, pushed onto the blocking pool.
pub async fn check_clock_skew_blocking(server: String) -> anyhow::Result<f64> {
    tokio::task::spawn_blocking(move || {
        let packet = ntp::request(server.as_str()).map_err(|e| anyhow::anyhow!("ntp: {e}"))?; //~ ok(net)
        let remote = packet_to_unix(&packet);
        let local = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
        Ok(local - remote)
    })
    .await?
}
