//! Node-style Prometheus exporter: samples /proc, shells out to smartctl,
//! scrapes a sidecar and pushes to a gateway, serves `/metrics` with hyper.

use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response, Server};
use prometheus::{Encoder, IntGauge, Registry, TextEncoder};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Collector {
    registry: Registry,
    load: IntGauge,
    smart_ok: IntGauge,
    sidecar: IntGauge,
    sidecar_url: String,
}

impl Collector {
    async fn collect(&self) {
        let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default(); //~ fs
        let first = loadavg.split_whitespace().next().unwrap_or("0");
        self.load.set((first.parse::<f64>().unwrap_or(0.0) * 100.0) as i64);

        let out = Command::new("smartctl").arg("-H").arg("/dev/sda").output(); //~ process
        let healthy = out.map(|o| o.status.success()).unwrap_or(false);
        self.smart_ok.set(healthy as i64);

        let df = tokio::process::Command::new("df").arg("/").status().await; //~ ok(process)
        tracing::debug!(?df, "df ran");

        if let Ok(mut child) = Command::new("sensors").stdout(Stdio::piped()).spawn() { //~ ok(process)
            let _ = child.wait(); //~ process
        }

        let resp = ureq::get(&self.sidecar_url).call(); //~ http_blocking
        if let Ok(resp) = resp {
            self.sidecar.set(resp.status() as i64); //~ ok(process)
        }
    }

    async fn render(&self, req: Request<Body>) -> Response<Body> {
        if req.uri().path() != "/metrics" {
            return Response::builder().status(404).body(Body::empty()).unwrap(); //~ ok(process)
        }
        let mut buf = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buf).unwrap();
        Response::new(Body::from(buf))
    }

    async fn push(&self) {
        let families = self.registry.gather();
        let client = reqwest::Client::new();
        let mut body = Vec::new();
        TextEncoder::new().encode(&families, &mut body).unwrap();
        let res = client.post("http://gateway:9091/metrics/job/node").body(body).send().await; //~ ok(http_blocking)
        if let Err(e) = res {
            tracing::warn!(%e, "push failed, retrying synchronously");
            let _ = reqwest::blocking::Client::new() //~ http_blocking
                .post("http://gateway:9091/metrics/job/node")
                .send(); //~ http_blocking
        }
    }
}

fn start_sampler(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let _ = std::fs::read("/proc/stat"); //~ ok(fs)
            std::thread::sleep(Duration::from_secs(1)); //~ ok(sleep)
        }
    })
}

async fn serve(c: Arc<Collector>) {
    let make = make_service_fn(move |_| {
        let c = c.clone();
        async move {
            Ok::<_, hyper::Error>(service_fn(move |req: Request<Body>| {
                let c = c.clone();
                async move { Ok::<_, hyper::Error>(c.render(req).await) }
            }))
        }
    });
    Server::bind(&([0, 0, 0, 0], 9100).into()).serve(make).await.unwrap();
}

#[tokio::main]
async fn main() {
    let registry = Registry::new();
    let c = Arc::new(Collector {
        load: IntGauge::new("node_load", "load x100").unwrap(),
        smart_ok: IntGauge::new("smart_ok", "disk health").unwrap(),
        sidecar: IntGauge::new("sidecar_status", "sidecar").unwrap(),
        sidecar_url: std::env::var("SIDECAR").unwrap_or_default(),
        registry,
    });
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = start_sampler(stop.clone());

    let bg = c.clone();
    tokio::spawn(async move {
        loop {
            bg.collect().await;
            bg.push().await;
            tokio::time::sleep(Duration::from_secs(15)).await; //~ ok(sleep)
        }
    });

    tokio::select! {
        _ = serve(c) => {}
        _ = tokio::signal::ctrl_c() => {
            stop.store(true, Ordering::Relaxed);
            sampler.join().unwrap(); //~ thread_join
        }
    }
}
