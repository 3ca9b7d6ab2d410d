use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::sync::Arc;

use hostmetrics::collectors::{self, All};
use hostmetrics::server::{self, App};
use hostmetrics::{config, MetricRegistry};

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "hostmetrics.yaml".into()),
    );
    let cfg = config::load(&path)?; //~ ok(fs)
    let targets = cfg
        .probe_targets
        .iter()
        .filter_map(|t| t.to_socket_addrs().ok()) //~ ok(dns)
        .flatten()
        .collect();
    let scripts = match &cfg.scripts_dir {
        Some(dir) => std::fs::read_dir(dir)? //~ ok(fs)
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect(),
        None => Vec::new(),
    };

    let app = Arc::new(App {
        collectors: All {
            cpu: Default::default(),
            mem: Default::default(),
            disk: collectors::DiskCollector::new(cfg.mounts.clone()),
            net: collectors::NetCollector::new(targets),
            exec: collectors::ScriptCollector::new(scripts),
        },
        registry: MetricRegistry::new(),
        cfg,
        config_path: path,
    });

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(server::serve(app)) //~ ok(block_on)
}
