use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::config::{self, reload::apply as apply_config};
use crate::App;

type AdminResult<T> = Result<T, (StatusCode, String)>;

fn bad<E: std::fmt::Display>(e: E) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

pub async fn reload(State(app): State<Arc<App>>) -> AdminResult<Json<Value>> {
    let cfg = config::load(&app.config_path).map_err(bad)?; //~ fs
    let n = cfg.upstreams.len();
    apply_config(&app, cfg); //~ dns
    Ok(Json(json!({ "upstreams": n })))
}

pub async fn stats(State(app): State<Arc<App>>) -> Json<Value> {
    let backends = app.pool.snapshot(); //~ lock
    let tracked = app.limits.tracked(); //~ lock
    let rate = app.limits.rate(); //~ ok(lock)
    let acl_entries = app.acl.load().len(); //~ ok(lock)
    Json(json!({
        "backends": backends
            .iter()
            .map(|(host, addr, up)| json!({ "host": host, "addr": addr.to_string(), "up": up }))
            .collect::<Vec<_>>(),
        "rate_tracked": tracked,
        "rate_per_sec": rate,
        "acl_entries": acl_entries,
    }))
}

pub async fn rotate_logs(State(app): State<Arc<App>>) -> AdminResult<String> {
    let rotated = app.log.rotate().map_err(bad)?; //~ fs
    let purged = app.limits.purge_idle(Duration::from_secs(600)); //~ lock
    Ok(format!("rotated to {} ({purged} idle buckets purged)", rotated.display()))
}

pub async fn drain(State(app): State<Arc<App>>) -> StatusCode {
    let total = app.pool.len(); //~ lock
    tracing::info!(total, "draining: waiting for in-flight requests");
    std::thread::sleep(Duration::from_secs(5)); //~ sleep
    StatusCode::ACCEPTED
}

pub async fn probe(Path(target): Path<String>) -> AdminResult<Json<Value>> {
    let addrs: Vec<_> = format!("{target}:80").to_socket_addrs().map_err(bad)?.collect(); //~ dns
    let first = addrs.first().copied().ok_or_else(|| bad("no addresses"))?;
    let reachable = TcpStream::connect_timeout(&first, Duration::from_secs(2)).is_ok(); //~ net
    Ok(Json(json!({ "addrs": addrs.len(), "reachable": reachable })))
}

#[derive(Debug, serde::Deserialize)]
pub struct RateUpdate {
    pub rate: u32,
    pub burst: u32,
}

pub async fn set_rate(State(app): State<Arc<App>>, Json(upd): Json<RateUpdate>) -> StatusCode {
    app.limits.reconfigure(upd.rate, upd.burst); //~ ok(lock)
    StatusCode::NO_CONTENT
}

pub async fn show_config(State(app): State<Arc<App>>) -> AdminResult<String> {
    tokio::fs::read_to_string(&app.config_path) //~ ok(fs)
        .await
        .map_err(bad)
}

pub async fn probe_async(Path(target): Path<String>) -> AdminResult<Json<Value>> {
    let first = tokio::net::lookup_host(format!("{target}:80")) //~ ok(dns)
        .await
        .map_err(bad)?
        .next()
        .ok_or_else(|| bad("no addresses"))?;
    let connect = tokio::net::TcpStream::connect(first); //~ ok(net)
    let reachable = matches!(tokio::time::timeout(Duration::from_secs(2), connect).await, Ok(Ok(_)));
    Ok(Json(json!({ "addr": first.to_string(), "reachable": reachable })))
}

pub async fn dump(State(app): State<Arc<App>>) -> AdminResult<StatusCode> {
    let snapshot = app.pool.snapshot(); //~ lock
    let path = app.log.path().with_extension("dump.json"); //~ ok(fs)
    let body = serde_json::to_vec_pretty(&snapshot).map_err(bad)?;
    tokio::fs::write(&path, body).await.map_err(bad)?; //~ ok(fs)
    let worker = app.clone();
    tokio::task::spawn_blocking(move || worker.log.rotate()) //~ ok(fs)
        .await
        .map_err(bad)?
        .map_err(bad)?;
    Ok(StatusCode::NO_CONTENT)
}
