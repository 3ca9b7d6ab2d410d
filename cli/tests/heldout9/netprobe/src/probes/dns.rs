use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use hickory_client::client::{AsyncClient, Client, ClientHandle, SyncClient};
use hickory_client::rr::{DNSClass, Name, RData, RecordType};
use hickory_client::udp::{UdpClientConnection, UdpClientStream};
use tokio::net::UdpSocket;

/// Resolves through a specific (internal) nameserver, bypassing /etc/resolv.conf.
pub struct DnsProbe {
    client: SyncClient<UdpClientConnection>,
}

pub struct AsyncDnsProbe {
    client: AsyncClient,
}

fn a_records(resp: &hickory_client::op::DnsResponse) -> Vec<IpAddr> {
    resp.answers()
        .iter()
        .filter_map(|r| match r.data() {
            Some(RData::A(a)) => Some(IpAddr::V4(a.0)),
            Some(RData::AAAA(a)) => Some(IpAddr::V6(a.0)),
            _ => None,
        })
        .collect()
}

impl DnsProbe {
    pub fn new(server: SocketAddr) -> anyhow::Result<Self> {
        let conn = UdpClientConnection::new(server)?;
        Ok(Self { client: SyncClient::new(conn) })
    }

    pub fn resolve_a(&self, host: &str) -> anyhow::Result<Vec<IpAddr>> {
        let name = Name::from_str(host)?;
        let resp = self.client.query(&name, DNSClass::IN, RecordType::A)?;
        Ok(a_records(&resp))
    }

    pub fn has_mx(&self, domain: &str) -> anyhow::Result<bool> {
        let resp = self.client.query(&Name::from_str(domain)?, DNSClass::IN, RecordType::MX)?;
        Ok(!resp.answers().is_empty())
    }
}

impl AsyncDnsProbe {
    pub async fn connect(server: SocketAddr) -> anyhow::Result<Self> {
        let stream = UdpClientStream::<UdpSocket>::new(server);
        let (client, bg) = AsyncClient::connect(stream).await?;
        tokio::spawn(bg);
        Ok(Self { client })
    }

    pub async fn resolve_a(&mut self, host: &str) -> anyhow::Result<Vec<IpAddr>> {
        let resp = self.client.query(Name::from_str(host)?, DNSClass::IN, RecordType::A).await?;
        Ok(a_records(&resp))
    }
}
