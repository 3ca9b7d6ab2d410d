use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use lmdb::{Cursor, Transaction, WriteFlags};
use poem::http::StatusCode;
use poem::web::{Data, Json, Path};
use poem::{handler, Error, Result};
use publicsuffix::Psl;
use tracing::warn;
use whois_rust::WhoIs;

use crate::lookup::{self, Enrichment};
use crate::{rdap, AppState};

type State = Arc<AppState>;

const WHOIS_SERVERS: &str = "/etc/enrich/whois-servers.json";
const SIEM_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(std::net::Ipv4Addr::new(10, 20, 0, 15)), 6514);

fn upstream(e: impl std::fmt::Display) -> Error {
    Error::from_string(e.to_string(), StatusCode::BAD_GATEWAY)
}

#[handler]
pub async fn enrich_ip(Path(ip): Path<IpAddr>, Data(state): Data<&State>) -> Result<Json<Arc<Enrichment>>> {
    let key = format!("ip:{ip}");
    if let Some(hit) = state.hot.get(&key).await { //~ ok(db)
        return Ok(Json(hit));
    }
    if let Some(bytes) = state.lmdb.get(&key).map_err(upstream)? { //~ db
        let e: Arc<Enrichment> = Arc::new(serde_json::from_slice(&bytes).map_err(upstream)?);
        state.hot.insert(key, e.clone()).await; //~ ok(db)
        return Ok(Json(e));
    }

    let internal = state.internal.iter().any(|net| net.contains(ip));
    let mut e = Enrichment { query: ip.to_string(), internal, ..Default::default() };
    e.ptr = state.dns.query_ptr(&ip).map_err(upstream)?; //~ dns
    if let Some(name) = e.ptr.first() {
        e.fcrdns = lookup::forward_confirmed(name, &ip); //~ dns
    }
    e.asn = lookup::asn_via_cymru(&state.dns, &ip).map_err(upstream)?; //~ dns
    if !internal {
        let opts = lookup::whois::options(&e.query).map_err(upstream)?; //~ ok(net)
        let text = state.whois.read().await.lookup_async(opts).await.map_err(upstream)?; //~ ok(net)
        e.whois = Some(lookup::parse_whois(&text));
        let url = format!("{}{ip}", rdap::IP_BASE);
        let doc = tokio::task::spawn_blocking(move || rdap::fetch(&url)).await.map_err(upstream)?; //~ ok(http_blocking)
        e.rdap_handle = doc.ok().as_ref().and_then(rdap::handle_of);
    }
    let e = Arc::new(e);
    state.lmdb.put(&key, &serde_json::to_vec(&*e).map_err(upstream)?).map_err(upstream)?; //~ db
    state.hot.insert(key, e.clone()).await; //~ ok(db)
    Ok(Json(e))
}

#[handler]
pub async fn enrich_domain(Path(name): Path<String>, Data(state): Data<&State>) -> Result<Json<Enrichment>> {
    let mut e = Enrichment { query: name.clone(), ..Default::default() };
    let apex = match state.psl.domain(name.as_bytes()) { //~ ok(dns)
        Some(d) => String::from_utf8_lossy(d.as_bytes()).into_owned(),
        None => name.clone(),
    };
    e.registrable_domain = Some(apex.clone());

    // The abuse desk's legacy path: plain blocking WHOIS with referral following.
    let who = state.whois.read().await; //~ ok(lock)
    e.whois = Some(lookup::whois_blocking(&who, &apex).map_err(upstream)?); //~ net
    drop(who);

    let mut body = Vec::new();
    let res = http_req::request::get(format!("{}{apex}", rdap::DOMAIN_BASE), &mut body).map_err(upstream)?; //~ http_blocking
    if res.status_code().is_success() {
        let doc: serde_json::Value = serde_json::from_slice(&body).map_err(upstream)?;
        e.rdap_handle = rdap::handle_of(&doc);
    }

    for addr in tokio::net::lookup_host((apex.as_str(), 443)).await.map_err(upstream)? { //~ ok(dns)
        let ptrs = state.dns_async.query_ptr(&addr.ip()).await.unwrap_or_default(); //~ ok(dns)
        e.ptr.extend(ptrs);
    }
    let sts = state.dns.query_txt(&format!("_mta-sts.{apex}")).unwrap_or_default(); //~ dns
    if sts.is_empty() {
        warn!(%apex, "no MTA-STS policy");
    }
    Ok(Json(e))
}

/// Batch import from the abuse-feed job: enrich and store everything in one
/// LMDB write transaction.
#[handler]
pub async fn bulk_import(Json(items): Json<Vec<IpAddr>>, Data(state): Data<&State>) -> Result<Json<usize>> {
    let who = state.whois.read().await; //~ ok(lock)
    let mut txn = state.lmdb.env.begin_rw_txn().map_err(upstream)?; //~ db
    for ip in &items {
        let mut e = Enrichment { query: ip.to_string(), ..Default::default() };
        e.asn = lookup::asn_via_cymru(&state.dns, ip).map_err(upstream)?; //~ dns
        match lookup::whois_blocking(&who, &e.query) { //~ net
            Ok(w) => e.whois = Some(w),
            Err(err) => warn!(%ip, "whois failed: {err}"),
        }
        // ARIN throttles to about one query per second per source address.
        std::thread::sleep(Duration::from_millis(1100)); //~ sleep
        let json = serde_json::to_vec(&e).map_err(upstream)?;
        txn.put(state.lmdb.db, &e.cache_key(), &json, WriteFlags::empty()).map_err(upstream)?; //~ db
    }
    txn.commit().map_err(upstream)?; //~ db
    Ok(Json(items.len()))
}

#[handler]
pub async fn reload(Data(state): Data<&State>) -> Result<StatusCode> {
    let fresh = WhoIs::from_path(WHOIS_SERVERS).map_err(upstream)?; //~ fs
    let overrides = tokio::fs::read_to_string("/etc/enrich/whois-overrides.json").await.map_err(upstream)?; //~ ok(fs)
    WhoIs::from_string(&overrides).map_err(upstream)?; //~ ok(fs)
    *state.whois.write().await = fresh; //~ ok(lock)
    state.hot.invalidate_all(); //~ ok(db)
    state.lmdb.sync().map_err(upstream)?; //~ db

    // Sanity-check the (possibly rewritten) resolv.conf before reporting success.
    let probe = dnsclient::sync::DNSClient::new_with_system_resolvers().map_err(upstream)?; //~ fs
    probe.query_a("rdap.arin.net").map_err(upstream)?; //~ dns
    Ok(StatusCode::NO_CONTENT)
}

#[handler]
pub async fn export(Data(state): Data<&State>) -> Result<Json<usize>> {
    let lmdb = state.lmdb.clone();
    let dump = tokio::task::spawn_blocking(move || -> lmdb::Result<Vec<String>> {
        let txn = lmdb.env.begin_ro_txn()?; //~ ok(db)
        let mut cursor = txn.open_ro_cursor(lmdb.db)?;
        let rows = cursor.iter_start().filter_map(|r| r.ok()).map(|(_, v)| String::from_utf8_lossy(v).into_owned());
        Ok(rows.collect())
    })
    .await
    .map_err(upstream)?
    .map_err(upstream)?;

    std::fs::write("/var/lib/enrich/export.jsonl", dump.join("\n")).map_err(upstream)?; //~ fs
    // Announce the export to the SIEM collector (plain TCP line protocol).
    let mut siem = std::net::TcpStream::connect_timeout(&SIEM_ADDR, Duration::from_secs(2)).map_err(upstream)?; //~ net
    writeln!(siem, "enrich-export rows={}", dump.len()).map_err(upstream)?; //~ net
    Ok(Json(dump.len()))
}

/// Raw WHOIS text for the analyst UI.
#[handler]
pub async fn whois_raw(Path(target): Path<String>, Data(state): Data<&State>) -> Result<String> {
    let opts = lookup::whois::options(&target).map_err(upstream)?; //~ ok(net)
    let who = state.whois.read().await; //~ ok(lock)
    let text = who.lookup(opts).map_err(upstream)?; //~ net
    Ok(text)
}

/// Raw RDAP document, proxied so the UI does not need CORS exceptions.
#[handler]
pub async fn rdap_raw(Path(ip): Path<IpAddr>) -> Result<Json<serde_json::Value>> {
    let doc = rdap::fetch(&format!("{}{ip}", rdap::IP_BASE)).map_err(upstream)?; //~ http_blocking
    Ok(Json(doc))
}
