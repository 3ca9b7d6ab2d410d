use std::path::PathBuf;
use std::sync::{Arc, Barrier};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::collectors::{self, All, Collector, Sample};
use crate::config::Config;
use crate::MetricRegistry;

pub struct App {
    pub collectors: All,
    pub registry: MetricRegistry,
    pub cfg: Config,
    pub config_path: PathBuf,
}

fn render_samples(samples: &[Sample]) -> String {
    samples
        .iter()
        .map(|s| format!("{} {}\n", s.name, s.value))
        .collect()
}

async fn metrics(State(app): State<Arc<App>>) -> impl IntoResponse {
    let mut cpu = Vec::new();
    if app.collectors.cpu.collect(&mut cpu).is_err() { //~ fs
        app.registry.record_error(); //~ ok(lock)
    }
    app.registry.update("cpu", cpu); //~ lock

    let mut mem = Vec::new();
    if app.collectors.mem.collect_async(&mut mem).await.is_err() {
        app.registry.record_error(); //~ ok(lock)
    }
    app.registry.update("mem", mem); //~ lock

    let mut net = Vec::new();
    let _ = app.collectors.net.collect(&mut net); //~ net
    app.registry.update("net", net); //~ lock
    app.registry.mark_scrape(); //~ lock

    let load = collectors::procfs::loadavg().await.unwrap_or_default();
    let mut body = app.registry.render(); //~ lock
    body.push_str(&format!("node_load1 {}\nnode_load5 {}\n", load[0], load[1]));
    ([("content-type", "text/plain; version=0.0.4")], body)
}

async fn healthz(State(app): State<Arc<App>>) -> impl IntoResponse {
    let errors = app.registry.errors(); //~ ok(lock)
    let age = app.registry.since_last_scrape(); //~ lock
    let mounts = app.collectors.disk.mount_count(); //~ ok(fs)
    let stale = age.map_or(true, |a| a > app.cfg.interval() * 4);
    let status = if stale { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    (status, format!("errors={errors} mounts={mounts} stale={stale}\n"))
}

#[derive(Debug, Deserialize)]
struct ProbeQuery {
    target: String,
}

async fn probe(State(app): State<Arc<App>>, Query(q): Query<ProbeQuery>) -> Response {
    match app.collectors.net.resolve(&q.target) { //~ dns
        Ok(addrs) => {
            let single = collectors::NetCollector::new(addrs);
            let mut out = Vec::new();
            let _ = single.collect(&mut out); //~ net
            (StatusCode::OK, render_samples(&out)).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

async fn collect_named(State(app): State<Arc<App>>, Path(name): Path<String>) -> Response {
    let mut out = Vec::new();
    let res = match name.as_str() {
        "cpu" => app.collectors.cpu.collect(&mut out), //~ fs
        "meminfo" => app.collectors.mem.collect(&mut out), //~ fs
        "filesystem" => app.collectors.disk.collect(&mut out), //~ fs
        "net" => app.collectors.net.collect(&mut out), //~ net
        other if other == app.collectors.exec.name() => { //~ ok(process)
            tokio::task::block_in_place(|| app.collectors.exec.collect(&mut out)) //~ ok(process)
        }
        _ => return (StatusCode::NOT_FOUND, "unknown collector").into_response(),
    };
    match res {
        Ok(()) => (StatusCode::OK, render_samples(&out)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn reload(State(app): State<Arc<App>>) -> Response {
    let path = app.config_path.clone();
    match tokio::task::spawn_blocking(move || crate::config::load(&path)).await { //~ ok(fs)
        Ok(Ok(_)) => (StatusCode::OK, "config valid; restart to apply\n").into_response(),
        Ok(Err(e)) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn scrape_loop(app: Arc<App>) {
    let mut tick = tokio::time::interval(app.cfg.interval());
    loop {
        tick.tick().await;
        let worker = app.clone();
        let disk = std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = worker.collectors.disk.collect(&mut v); //~ ok(fs)
            v
        });
        let mut scripts = Vec::new();
        if app.collectors.exec.enabled() {
            let _ = app.collectors.exec.collect(&mut scripts); //~ process
        }
        let disk_samples = disk.join().unwrap_or_default(); //~ thread_join
        app.registry.update("disk", disk_samples); //~ lock
        app.registry.update("scripts", scripts); //~ lock
    }
}

async fn warm_all(app: Arc<App>) {
    let barrier = Arc::new(Barrier::new(3));
    for source in ["cpu", "filesystem"] {
        let (app, barrier) = (app.clone(), barrier.clone());
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = if source == "cpu" {
                app.collectors.cpu.collect(&mut v) //~ ok(fs)
            } else {
                app.collectors.disk.collect(&mut v) //~ ok(fs)
            };
            app.registry.update(source, v); //~ ok(lock)
            barrier.wait(); //~ ok(thread_join)
        });
    }
    barrier.wait(); //~ thread_join
    tracing::info!("initial collection finished");
}

pub async fn serve(app: Arc<App>) -> anyhow::Result<()> {
    warm_all(app.clone()).await;
    tokio::spawn(scrape_loop(app.clone()));
    let router = Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/probe", get(probe))
        .route("/debug/collect/:name", get(collect_named))
        .route("/-/reload", axum::routing::post(reload))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind(&app.cfg.listen).await?; //~ ok(net)
    axum::serve(listener, router).await?;
    Ok(())
}
