use std::io;
use std::net::{IpAddr, ToSocketAddrs};

use dnsclient::sync::DNSClient;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AsnInfo {
    pub asn: u32,
    pub prefix: String,
    pub country: String,
}

/// Team Cymru IP-to-ASN over DNS: TXT `4.3.2.1.origin.asn.cymru.com` →
/// `"13335 | 1.1.1.0/24 | US | arin | 2010-07-14"`.
pub fn asn_via_cymru(client: &DNSClient, ip: &IpAddr) -> io::Result<Option<AsnInfo>> {
    let IpAddr::V4(v4) = ip else { return Ok(None) };
    let o = v4.octets();
    let name = format!("{}.{}.{}.{}.origin.asn.cymru.com", o[3], o[2], o[1], o[0]);
    let txts = client.query_txt(&name)?;
    Ok(txts.first().and_then(|t| parse_cymru(&String::from_utf8_lossy(t))))
}

pub fn parse_cymru(txt: &str) -> Option<AsnInfo> {
    let mut f = txt.split('|').map(str::trim);
    let asn = f.next()?.split_whitespace().next()?.parse().ok()?;
    let prefix = f.next()?.to_string();
    let country = f.next()?.to_string();
    Some(AsnInfo { asn, prefix, country })
}

/// Forward-confirmed reverse DNS: does the PTR name resolve back to `ip`?
/// Uses the system resolver (getaddrinfo) on purpose, like the MTAs we mirror.
pub fn forward_confirmed(ptr: &str, ip: &IpAddr) -> bool {
    match (ptr.trim_end_matches('.'), 0).to_socket_addrs() {
        Ok(mut addrs) => addrs.any(|a| a.ip() == *ip),
        Err(_) => false,
    }
}
