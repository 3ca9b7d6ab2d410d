//! Individual probe implementations.

mod dns;
mod snmp;
pub mod http;
pub mod tls;

pub use dns::{AsyncDnsProbe, DnsProbe};
pub use snmp::SnmpPoller;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Target {
    pub host: String,
    pub snmp_community: Option<String>,
    pub https: bool,
    pub health_url: Option<String>,
}
