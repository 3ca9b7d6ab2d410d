use std::collections::BTreeMap;

use serde::Serialize;

use crate::probes::Target;

#[derive(Debug, Default, Serialize, Clone)]
pub struct HostReport {
    pub host: String,
    pub addrs: Vec<String>,
    pub uptime_ticks: Option<u32>,
    pub interfaces: Vec<String>,
    pub cert_bytes: Option<usize>,
    pub health: Option<String>,
}

pub type Report = BTreeMap<String, HostReport>;

pub fn load_targets(path: &str) -> anyhow::Result<Vec<Target>> {
    Ok(serde_json::from_reader(std::fs::File::open(path)?)?)
}

pub fn save(rep: &Report, path: &str) -> anyhow::Result<()> {
    std::fs::write(path, serde_json::to_vec_pretty(rep)?)?;
    Ok(())
}

pub async fn save_async(rep: &Report, path: &str) -> anyhow::Result<()> {
    tokio::fs::write(path, serde_json::to_vec_pretty(rep)?).await?;
    Ok(())
}

/// Posts the report to the chat webhook.
pub fn notify_webhook(url: &str, rep: &Report) -> anyhow::Result<u16> {
    let resp = minreq::post(url).with_json(rep)?.with_timeout(10).send()?;
    Ok(resp.status_code as u16)
}
