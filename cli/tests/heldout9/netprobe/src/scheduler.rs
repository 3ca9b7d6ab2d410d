use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use hickory_client::client::{Client, SyncClient};
use hickory_client::rr::{DNSClass, Name, RecordType};
use hickory_client::tcp::TcpClientConnection;
use std::io::Read;

use crate::probes::{self, http, tls, AsyncDnsProbe, DnsProbe, SnmpPoller, Target};
use crate::report::{self, HostReport, Report};

const RESOLVER: &str = "10.0.0.53:53";

pub struct Scheduler {
    targets: RwLock<Vec<Target>>,
    last: Arc<Mutex<Report>>,
    webhook: Option<String>,
}

impl Scheduler {
    pub fn new(targets: Vec<Target>) -> Self {
        Self { targets: RwLock::new(targets), last: Arc::default(), webhook: std::env::var("NETPROBE_WEBHOOK").ok() }
    }

    pub async fn run_once(&self) -> anyhow::Result<Report> {
        let hosts: Vec<Target> = self.targets.read().unwrap().clone(); //~ lock
        let mut rep = Report::new();
        for t in hosts {
            let r = self.probe_target(&t).await?;
            rep.insert(t.host.clone(), r);
        }
        *self.last.lock().unwrap() = rep.clone(); //~ lock
        if let Some(hook) = &self.webhook {
            let code = report::notify_webhook(hook, &rep)?; //~ http_blocking
            tracing_like(&format!("webhook -> {code}"));
        }
        Ok(rep)
    }

    pub async fn run_forever(&self, interval: u64) -> anyhow::Result<()> {
        let mut tick = tokio::time::interval(Duration::from_secs(interval));
        loop {
            tick.tick().await; //~ ok(sleep)
            match self.run_once().await {
                Ok(rep) => report::save(&rep, "/var/lib/netprobe/last.json")?, //~ fs
                Err(e) => {
                    eprintln!("probe round failed: {e}");
                    std::thread::sleep(Duration::from_secs(10)); //~ sleep
                }
            }
            if let Ok(fresh) = report::load_targets("/etc/netprobe/targets.json.new") { //~ fs
                *self.targets.write().unwrap() = fresh; //~ lock
            }
        }
    }

    pub async fn probe_host(&self, host: &str) -> anyhow::Result<HostReport> {
        let t = Target { host: host.to_string(), snmp_community: Some("public".into()), https: true, health_url: None };
        self.probe_target(&t).await
    }

    async fn probe_target(&self, t: &Target) -> anyhow::Result<HostReport> {
        let resolver: SocketAddr = RESOLVER.parse()?;
        let mut out = HostReport { host: t.host.clone(), ..Default::default() };

        let dns = DnsProbe::new(resolver)?; //~ ok(dns)
        let addrs = dns.resolve_a(&t.host)?; //~ dns
        out.addrs = addrs.iter().map(|a| a.to_string()).collect();
        if t.host.matches('.').count() == 1 && !dns.has_mx(&t.host)? { //~ dns
            eprintln!("{} has no MX", t.host);
        }
        let mut adns = AsyncDnsProbe::connect(resolver).await?; //~ ok(dns)
        let again = adns.resolve_a(&t.host).await?; //~ ok(dns)
        if again != addrs {
            let third = futures::executor::block_on(adns.resolve_a(&t.host))?; //~ block_on
            eprintln!("inconsistent answers for {}: {:?}", t.host, third);
        }
        let host = t.host.clone();
        let bg = tokio::task::spawn_blocking(move || DnsProbe::new(resolver)?.resolve_a(&host)).await??; //~ ok(dns)
        out.addrs.extend(bg.iter().map(|a| a.to_string()));

        if let Some(comm) = &t.snmp_community {
            let mut poller = SnmpPoller::connect(&t.host, comm)?; //~ dns
            out.uptime_ticks = Some(poller.sys_uptime()?); //~ net
            out.interfaces = poller.interfaces(24)?; //~ net
            let oid = snmp2::Oid::from(&[1, 3, 6, 1, 2, 1, 1, 5, 0]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let mut again = poller.session.getnext(&oid).map_err(|e| anyhow::anyhow!("{e:?}"))?; //~ net
            let _ = again.varbinds.next();
            let mut asess = snmp2::AsyncSession::new_v2c(format!("{}:161", t.host), comm.as_bytes(), 0).await?; //~ ok(dns)
            let _ = asess.get(&oid).await; //~ ok(net)
        }

        if t.https {
            let der = tls::peer_cert_der(&t.host, 443)?; //~ net
            if tls::cert_size_ok(&der) {
                out.cert_bytes = Some(der.len());
            }
            let host = t.host.clone();
            let bg_der = tokio::task::spawn_blocking(move || tls::peer_cert_der(&host, 8443)).await?; //~ ok(net)
            let _ = bg_der;
        }

        if let Some(url) = &t.health_url {
            let h = http::fetch_health(url)?; //~ http_blocking
            out.health = Some(h.status);
            let req = http::request_for(url); //~ ok(http_blocking)
            let resp = req.send()?; //~ http_blocking
            eprintln!("health body {} bytes", resp.as_bytes().len());
        }
        Ok(out)
    }
}

/// `netprobe once --deep`: lower-level checks without the probe helpers.
pub async fn deep_check(host: &str, community: &str) -> anyhow::Result<()> {
    let ns: SocketAddr = RESOLVER.parse()?;
    let conn = TcpClientConnection::new(ns)?; //~ ok(dns)
    let client = SyncClient::new(conn); //~ ok(dns)
    let soa = client.query(&Name::from_str(host)?, DNSClass::IN, RecordType::SOA)?; //~ dns
    let probe = DnsProbe::new(ns)?; //~ ok(dns)
    let mx = probe.has_mx(host)?; //~ dns
    eprintln!("MX present: {mx}");
    eprintln!("SOA answers: {}", soa.answers().len());

    let mut sess = snmp2::SyncSession::new_v2c((host, 161), community.as_bytes(), Some(Duration::from_secs(1)), 7)?; //~ dns
    let oid = snmp2::Oid::from(&[1, 3, 6, 1, 2, 1, 1, 1, 0]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let descr = sess.get(&oid).map_err(|e| anyhow::anyhow!("{e:?}"))?; //~ net
    eprintln!("sysDescr req id {}", descr.req_id);

    let connector = native_tls::TlsConnector::builder().danger_accept_invalid_certs(true).build()?;
    let mut tls_stream = connector.connect(host, std::net::TcpStream::connect((host, 443))?)?; //~ net
    let mut first = [0u8; 1];
    let _ = tls_stream.read(&mut first); //~ net
    let tokio_tcp = tokio::net::TcpStream::connect((host, 443)).await?; //~ ok(net)
    let async_connector = tokio_native_tls::TlsConnector::from(connector);
    let _tls = async_connector.connect(host, tokio_tcp).await?; //~ ok(net)

    let resp = minreq::get(format!("https://{host}/")).with_timeout(5).send()?; //~ http_blocking
    eprintln!("https status {}", resp.status_code);
    let lazy = minreq::get(format!("http://{host}/metrics")).with_timeout(2); //~ ok(http_blocking)
    drop(lazy);

    let addrs: Vec<SocketAddr> = format!("{host}:123").to_socket_addrs()?.collect(); //~ dns
    let sock = UdpSocket::bind("0.0.0.0:0")?;
    sock.set_read_timeout(Some(Duration::from_secs(2)))?;
    sock.send_to(&[0x1b; 48], addrs[0])?;
    let mut buf = [0u8; 48];
    let (n, from) = sock.recv_from(&mut buf)?; //~ net
    eprintln!("ntp answered {n} bytes from {from}");
    let resolved = tokio::net::lookup_host(format!("{host}:443")).await?.count(); //~ ok(dns)
    eprintln!("{resolved} addresses");
    let _ = probes::tls::cert_size_ok(&buf); //~ ok(net)
    Ok(())
}

fn tracing_like(msg: &str) {
    eprintln!("[netprobe] {msg}");
}
