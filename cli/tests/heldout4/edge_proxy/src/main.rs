//! edge-proxy: an HTTP reverse proxy / API gateway with round-robin upstreams, active health
//! checks, per-IP rate limiting, IP ACLs, access logging and a small admin API.

mod accesslog;
#[path = "admin/api.rs"]
mod admin;
mod config;
mod limits;
mod proxy;
mod upstream;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::routing::{any, get, post};
use axum::Router;

use crate::accesslog::{AccessLog, AuditSink};
use crate::config::reload;
use crate::limits::RateLimiter;
pub use crate::proxy::App;
use crate::upstream::UpstreamPool;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let path = PathBuf::from(std::env::var("EDGE_CONFIG").unwrap_or_else(|_| "edge.yaml".into()));
    let cfg = config::load(&path)?; //~ fs
    let pool = Arc::new(UpstreamPool::from_config(&cfg.upstreams)?); //~ dns
    let log = AccessLog::open(&cfg.access_log)?; //~ fs
    let acl = config::Acl::from_file(&cfg.acl_file).unwrap_or_default(); //~ fs
    let (audit, mut audit_rx) = AuditSink::new();

    let app = Arc::new(App {
        pool: pool.clone(),
        limits: RateLimiter::new(cfg.rate_per_sec, cfg.burst),
        acl: ArcSwap::from_pointee(acl),
        log,
        audit,
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()?,
        config_path: path.clone(),
        listen: cfg.listen,
    });

    let watch_path = path.clone();
    let (_cfg_watcher, cfg_events) = tokio::task::spawn_blocking(move || reload::watch(&watch_path)).await??;
    let worker_app = app.clone();
    std::thread::spawn(move || {
        for event in cfg_events { //~ ok(channel)
            if event.is_ok() {
                match config::load(&worker_app.config_path) { //~ ok(fs)
                    Ok(cfg) => reload::apply(&worker_app, cfg),
                    Err(e) => tracing::warn!(error = %e, "config reload failed"),
                }
            }
        }
    });

    let acl_file = cfg.acl_file.clone();
    let (_acl_watcher, acl_events) = tokio::task::spawn_blocking(move || reload::watch(&acl_file)).await??;
    let acl_app = app.clone();
    let acl_path = cfg.acl_file.clone();
    tokio::spawn(async move {
        while let Ok(Ok(_event)) = acl_events.recv() { //~ channel
            match config::Acl::from_file(&acl_path) { //~ fs
                Ok(acl) => acl_app.acl.store(Arc::new(acl)), //~ ok(lock)
                Err(e) => tracing::warn!(error = %e, "acl reload failed"),
            }
        }
    });

    tokio::spawn(async move {
        while let Some(line) = audit_rx.recv().await { //~ ok(channel)
            tracing::info!(target: "audit", "{line}");
        }
    });
    tokio::spawn(pool.clone().health_loop());

    let router = Router::new()
        .route("/_admin/reload", post(admin::reload))
        .route("/_admin/stats", get(admin::stats))
        .route("/_admin/rotate", post(admin::rotate_logs))
        .route("/_admin/drain", post(admin::drain))
        .route("/_admin/dump", post(admin::dump))
        .route("/_admin/probe/:target", get(admin::probe))
        .route("/_admin/probe2/:target", get(admin::probe_async))
        .route("/_admin/rate", post(admin::set_rate))
        .route("/_admin/config", get(admin::show_config))
        .fallback(any(proxy::forward))
        .with_state(app.clone());

    let listener = tokio::net::TcpListener::bind(app.listen).await?; //~ ok(net)
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
