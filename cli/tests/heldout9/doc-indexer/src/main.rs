mod api;
mod catalog;
mod ingest;
mod search;
mod store;

use std::sync::Arc;

use anyhow::Result;
use camino::Utf8PathBuf;

pub struct Settings {
    pub feed_dir: Utf8PathBuf,
    pub index_dir: Utf8PathBuf,
    pub kv_dir: Utf8PathBuf,
    pub blob_file: Utf8PathBuf,
    pub dsn: String,
    pub listen: String,
}

impl Settings {
    fn from_env() -> Self {
        let get = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        Settings {
            feed_dir: get("FEED_DIR", "/srv/feeds").into(),
            index_dir: get("INDEX_DIR", "/var/lib/doc-indexer/index").into(),
            kv_dir: get("KV_DIR", "/var/lib/doc-indexer/kv").into(),
            blob_file: get("BLOB_FILE", "/var/lib/doc-indexer/blobs.bin").into(),
            dsn: get("CATALOG_DSN", "Driver={PostgreSQL Unicode};Server=db;Database=catalog"),
            listen: get("LISTEN", "0.0.0.0:8088"),
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let settings = Arc::new(Settings::from_env());
    std::fs::create_dir_all(&settings.index_dir)?; //~ fs
    tokio::fs::create_dir_all(&settings.kv_dir).await?; //~ ok(fs)

    if std::env::args().any(|a| a == "--reindex") {
        let mut answer = String::new();
        println!("This drops the whole index. Continue? [y/N]");
        std::io::stdin().read_line(&mut answer)?; //~ stdio
        if answer.trim() != "y" {
            return Ok(());
        }
        api::full_reindex(&settings).await?; //~ ok(fs)
    }

    let state = api::AppState::init(settings.clone()).await?;
    api::serve(state, &settings.listen).await
}
