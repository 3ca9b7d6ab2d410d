use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Health {
    pub status: String,
}

/// GETs a `/health` endpoint with minreq (blocking).
pub fn fetch_health(url: &str) -> anyhow::Result<Health> {
    let resp = minreq::get(url).with_timeout(5).with_header("Accept", "application/json").send()?;
    Ok(resp.json()?)
}

pub fn request_for(url: &str) -> minreq::Request {
    minreq::get(url).with_timeout(5).with_header("User-Agent", "netprobe/0.1")
}
