use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct GwConfig {
    pub client_id: String,
    pub broker_host: String,
    pub broker_port: u16,
    pub ntp_server: SocketAddr,
    pub max_skew_secs: f64,
    pub db_path: PathBuf,
    pub retention_per_sensor: usize,
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

impl GwConfig {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(GwConfig {
            client_id: env_or("GW_CLIENT_ID", "sensorgw-1"),
            broker_host: env_or("GW_BROKER", "127.0.0.1"),
            broker_port: env_or("GW_BROKER_PORT", "1883").parse()?,
            ntp_server: env_or("GW_NTP", "127.0.0.1:123").parse()?,
            max_skew_secs: env_or("GW_MAX_SKEW", "2.0").parse()?,
            db_path: env_or("GW_DB", "readings.jammdb").into(),
            retention_per_sensor: env_or("GW_KEEP", "10000").parse()?,
        })
    }
}
