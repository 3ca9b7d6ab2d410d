mod catalog;
mod meta;
mod scan;
mod service;

use std::path::PathBuf;
use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing::info!("media-catalog starting");
    let root = PathBuf::from(std::env::var("MEDIA_ROOT").unwrap_or_else(|_| "/srv/media".into()));
    let db = PathBuf::from(std::env::var("CATALOG_DB").unwrap_or_else(|_| "/var/lib/media-catalog/catalog.json".into()));
    let cat = Arc::new(catalog::Catalog::load(&db)?); //~ fs
    let svc = service::Service::new(root, cat);
    svc.initial_scan().await?;
    svc.watch_loop().await
}
