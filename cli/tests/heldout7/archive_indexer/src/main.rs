//! Archive indexer: watches a drop directory for archives (tar/zip/7z via
//! libarchive, Debian `.deb` packages, single-stream .xz/.sz files) and
//! records every member in a DuckDB catalogue that the search UI queries.

mod catalog;
mod formats;
mod indexer;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use tokio::sync::Mutex;

use crate::catalog::Catalog;
use crate::indexer::Indexer;

#[derive(Parser, Debug)]
#[command(about = "Index archives into a DuckDB catalogue")]
struct Args {
    /// Directory the upload service drops archives into.
    #[arg(long, default_value = "/srv/drop")]
    drop_dir: PathBuf,
    /// Where indexed archives are moved to.
    #[arg(long, default_value = "/srv/indexed")]
    done_dir: PathBuf,
    #[arg(long, default_value = "/var/lib/archive-index/catalog.duckdb")]
    db: PathBuf,
    /// Run one pass and exit instead of polling.
    #[arg(long)]
    once: bool,
    /// Print matches for this query and exit.
    #[arg(long)]
    search: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args = Args::parse();
    let conn = duckdb::Connection::open(&args.db)?; //~ db
    conn.execute_batch(catalog::SCHEMA)?; //~ db
    let catalog = Arc::new(Mutex::new(Catalog::new(conn)));

    if let Some(q) = &args.search {
        let hits = catalog.lock().await.search(q, 50)?; //~ db
        for (archive, member, size) in hits {
            println!("{archive}\t{member}\t{size}");
        }
        return Ok(());
    }

    let indexer = Indexer::new(catalog.clone(), args.drop_dir.clone(), args.done_dir.clone());
    loop {
        let n = indexer.scan_once().await?;
        if n > 0 {
            tracing::info!(indexed = n, total = indexer.member_count().await?, "scan finished");
            let cat = catalog.clone();
            // Parquet export for the analytics bucket; DuckDB does the writing.
            tokio::task::spawn_blocking(move || cat.blocking_lock().export_parquet("/srv/export/catalog.parquet")).await??; //~ ok(db)
        }
        if args.once {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(30)).await; //~ ok(sleep)
    }
}
