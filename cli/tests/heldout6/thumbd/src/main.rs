//! thumbd — a small image thumbnailing service.
//!
//! Uploads land in `<data>/originals`, thumbnails are rendered on demand
//! into `<data>/thumbs`, and a janitor task sweeps stale thumbnails.

mod config;
mod janitor;
mod render;
mod routes;
mod store;

use std::sync::Arc;

use anyhow::Context;

use crate::config::Config;
use crate::store::Store;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let cfg = Config::from_env_or_file("thumbd.conf")?; //~ fs
    std::fs::create_dir_all(&cfg.data_dir).context("creating data dir")?; //~ fs
    let store = Arc::new(Store::open(&cfg.data_dir)?); //~ fs

    // Scratch space for format conversions; removed when the guard drops.
    let mut builder = tempfile::Builder::new(); //~ ok(fs)
    builder.prefix("thumbd-").rand_bytes(8); //~ ok(fs)
    let scratch = builder.tempdir_in(&cfg.data_dir)?; //~ fs
    tracing::info!(scratch = %scratch.path().display(), "scratch dir ready");

    let usage = janitor::report_usage(&store).await;
    tracing::info!(bytes = usage, "initial disk usage");

    tokio::spawn(janitor::run(store.clone(), cfg.clone()));

    let state = routes::AppState {
        store,
        cfg: Arc::new(cfg.clone()),
        scratch: Arc::new(scratch.path().to_path_buf()),
    };
    let app = routes::router(state);

    let listener = tokio::net::TcpListener::bind(&cfg.listen).await?;
    tracing::info!(addr = %cfg.listen, "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    drop(scratch); //~ fs
    Ok(())
}
