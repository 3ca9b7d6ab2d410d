//! IP/domain enrichment service: reverse DNS, ASN (Team Cymru DNS), WHOIS and
//! RDAP, cached in LMDB and in a small in-process cache.

mod api;
mod cache;
mod lookup;
mod rdap;

use std::sync::Arc;
use std::time::Duration;

use ipnetwork::IpNetwork;
use poem::listener::TcpListener;
use poem::middleware::Tracing;
use poem::{get, post, EndpointExt, Route, Server};
use whois_rust::WhoIs;

use crate::cache::LmdbCache;
use crate::lookup::Enrichment;

pub struct AppState {
    pub whois: tokio::sync::RwLock<WhoIs>,
    pub dns: dnsclient::sync::DNSClient,
    pub dns_async: dnsclient::r#async::DNSClient,
    pub lmdb: Arc<LmdbCache>,
    pub hot: moka::future::Cache<String, Arc<Enrichment>>,
    pub psl: publicsuffix::List,
    pub internal: Vec<IpNetwork>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let whois = WhoIs::from_path("/etc/enrich/whois-servers.json")?; //~ fs
    let psl_text = tokio::fs::read_to_string("/usr/share/publicsuffix/public_suffix_list.dat").await?; //~ ok(fs)
    let psl: publicsuffix::List = psl_text.parse()?; //~ ok(dns)

    let mut dns = dnsclient::sync::DNSClient::new(vec![dnsclient::UpstreamServer::new(([1, 1, 1, 1], 53))]);
    dns.set_timeout(Duration::from_secs(2));
    // The async client still reads /etc/resolv.conf synchronously here.
    let dns_async = dnsclient::r#async::DNSClient::new_with_system_resolvers()?; //~ fs

    let lmdb = Arc::new(LmdbCache::open("/var/cache/enrich".as_ref())?); //~ db
    let internal = vec!["10.0.0.0/8".parse()?, "172.16.0.0/12".parse()?, "192.168.0.0/16".parse()?];
    let hot = moka::future::Cache::builder().max_capacity(50_000).time_to_live(Duration::from_secs(600)).build();

    let state = Arc::new(AppState { whois: tokio::sync::RwLock::new(whois), dns, dns_async, lmdb: lmdb.clone(), hot, psl, internal });

    // Background fsync: the env is opened with NOSYNC for write throughput.
    std::thread::Builder::new().name("lmdb-sync".into()).spawn(move || loop {
        std::thread::sleep(Duration::from_secs(5)); //~ ok(sleep)
        if let Err(e) = lmdb.sync() { //~ ok(db)
            tracing::warn!("lmdb sync failed: {e}");
        }
    })?;

    let app = Route::new()
        .at("/v1/ip/:ip", get(api::enrich_ip))
        .at("/v1/domain/:name", get(api::enrich_domain))
        .at("/v1/whois/:target", get(api::whois_raw))
        .at("/v1/rdap/:ip", get(api::rdap_raw))
        .at("/v1/bulk", post(api::bulk_import))
        .at("/admin/reload", post(api::reload))
        .at("/admin/export", post(api::export))
        .data(state)
        .with(Tracing);
    Server::new(TcpListener::bind("0.0.0.0:8080")).run(app).await?;
    Ok(())
}
