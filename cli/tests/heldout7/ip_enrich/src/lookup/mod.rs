//! The individual lookups. All helpers in here are synchronous; `api` decides
//! which ones may run inline.

pub mod dns;
pub mod whois;

pub use dns::{asn_via_cymru, forward_confirmed, AsnInfo};
pub use whois::{parse_whois, whois_blocking, WhoisSummary};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Enrichment {
    pub query: String,
    pub ptr: Vec<String>,
    pub fcrdns: bool,
    pub asn: Option<AsnInfo>,
    pub whois: Option<WhoisSummary>,
    pub rdap_handle: Option<String>,
    pub registrable_domain: Option<String>,
    pub internal: bool,
}

impl Enrichment {
    pub fn cache_key(&self) -> String {
        if self.query.parse::<std::net::IpAddr>().is_ok() {
            format!("ip:{}", self.query)
        } else {
            format!("dom:{}", self.query)
        }
    }
}
