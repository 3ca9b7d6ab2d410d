//! RDAP (RFC 9083) over HTTPS with http_req. The bootstrap registry is
//! shipped with the service; we only need the IP and domain base URLs.

use std::time::Duration;

use http_req::request::{Method, Request};
use http_req::uri::Uri;

pub const IP_BASE: &str = "https://rdap.arin.net/registry/ip/";
pub const DOMAIN_BASE: &str = "https://rdap.org/domain/";

#[derive(Debug, thiserror::Error)]
pub enum RdapError {
    #[error("http: {0}")]
    Http(#[from] http_req::error::Error),
    #[error("status {0}")]
    Status(u16),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

pub fn handle_of(doc: &serde_json::Value) -> Option<String> {
    doc.get("handle").and_then(|h| h.as_str()).map(str::to_owned)
}

/// GET `url` and decode the RDAP JSON document.
pub fn fetch(url: &str) -> Result<serde_json::Value, RdapError> {
    let uri = Uri::try_from(url)?;
    let mut body = Vec::new();
    let res = Request::new(&uri)
        .method(Method::GET)
        .header("Accept", "application/rdap+json")
        .timeout(Duration::from_secs(8))
        .send(&mut body)?;
    if !res.status_code().is_success() {
        return Err(RdapError::Status(res.status_code().into()));
    }
    Ok(serde_json::from_slice(&body)?)
}
