//! Key-value cache sidecar: the application talks to it over a tiny line
//! protocol on 127.0.0.1:7400. Hot keys live in memory, everything is written
//! behind to libmdbx, large values go to a content-addressed cacache dir.

mod admin;
mod blobs;
mod protocol;
mod server;
mod store;
mod writeback;

use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tracing::{error, info};

use crate::blobs::BlobStore;
use crate::store::Persistent;
use crate::writeback::WriteBehind;

pub struct Sidecar {
    pub store: Arc<Persistent>,
    pub hot: moka::future::Cache<String, bytes::Bytes>,
    pub blobs: BlobStore,
    pub wb: WriteBehind,
    pub admin: Arc<tiny_http::Server>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let data_dir = std::env::var("KVS_DATA").unwrap_or_else(|_| "/var/lib/kvs".into());
    let store = Arc::new(Persistent::open(format!("{data_dir}/mdbx"))?); //~ db
    let wb = WriteBehind::start(store.clone());
    let admin = Arc::new(tiny_http::Server::http("127.0.0.1:7401")?); //~ ok(net)
    admin::spawn_admin_thread(admin.clone(), store.clone());

    let sidecar = Arc::new(Sidecar {
        store,
        hot: moka::future::Cache::builder().max_capacity(64 * 1024 * 1024).weigher(|_k, v: &bytes::Bytes| v.len() as u32).build(),
        blobs: BlobStore::new(format!("{data_dir}/blobs")),
        wb,
        admin,
    });

    let listener = TcpListener::bind("127.0.0.1:7400").await?; //~ ok(net)
    info!("listening on 127.0.0.1:7400");
    loop {
        tokio::select! {
            accepted = listener.accept() => { //~ ok(net)
                let (sock, peer) = accepted?;
                let sc = sidecar.clone();
                tokio::spawn(async move {
                    if let Err(e) = server::handle(sc, sock).await {
                        error!(%peer, "connection failed: {e}");
                    }
                });
            }
            _ = tokio::signal::ctrl_c() => break,
        }
    }

    // Drain the write-behind queue before exiting.
    sidecar.wb.flush_blocking(); //~ block_on
    tokio::time::sleep(Duration::from_millis(50)).await; //~ ok(sleep)
    Ok(())
}
