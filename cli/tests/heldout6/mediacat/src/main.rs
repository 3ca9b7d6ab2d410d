//! mediacat — indexes a library of WAV recordings into a fjall keyspace
//! (duration, format, peak level) and answers catalogue queries over a
//! tiny line protocol.

mod audio;
mod catalog;
mod query;
mod scan;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::catalog::Catalog;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let library = PathBuf::from(std::env::var("MEDIACAT_LIBRARY").unwrap_or_else(|_| "library".into()));
    let index_dir = std::env::var("MEDIACAT_INDEX").unwrap_or_else(|_| "mediacat.idx".into());

    let catalog = Arc::new(Catalog::open(&index_dir)?); //~ db
    let entries = catalog.count()?; //~ db
    tracing::info!(entries, "catalog opened");

    let pool = Arc::new(rayon::ThreadPoolBuilder::new().num_threads(2).thread_name(|i| format!("analyse-{i}")).build()?); //~ ok(thread_join)

    // Initial scan inline; later rescans run on a timer.
    let found = scan::list_wavs(&library); //~ fs
    let fresh = catalog.filter_unknown(found)?; //~ db
    let analysed = pool.install(|| scan::analyse_all(&fresh)); //~ thread_join
    for item in analysed {
        catalog.put(&item)?; //~ db
    }
    catalog.flush()?; //~ db

    tokio::spawn(rescan_loop(catalog.clone(), pool.clone(), library.clone()));
    tokio::spawn(query::serve(catalog.clone(), "127.0.0.1:7300"));

    // A test tone is kept in the library so the pipeline can be smoke-tested.
    let tone = library.join("_selftest.wav");
    audio::write_tone(&tone, 440.0, 1.0)?; //~ fs
    let in_memory = audio::tone_bytes(440.0, 0.1)?; //~ ok(fs)
    let probe = audio::probe_bytes(&in_memory)?; //~ ok(fs)
    tracing::info!(?probe, "self-test tone ok");

    tokio::signal::ctrl_c().await?;
    catalog.flush()?; //~ db
    Ok(())
}

async fn rescan_loop(catalog: Arc<Catalog>, pool: Arc<rayon::ThreadPool>, library: PathBuf) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    tick.tick().await;
    loop {
        tick.tick().await;
        let lib = library.clone();
        let found = match tokio::task::spawn_blocking(move || scan::list_wavs(&lib)).await { //~ ok(fs)
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(error = %e, "scan task failed");
                continue;
            }
        };
        let fresh = match catalog.filter_unknown(found) { //~ db
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(error = %e, "catalog lookup failed");
                continue;
            }
        };
        if fresh.is_empty() {
            continue;
        }
        // Hand the CPU work to rayon and wait for it on a oneshot.
        let (tx, rx) = tokio::sync::oneshot::channel();
        pool.spawn(move || { //~ ok(thread_join)
            let _ = tx.send(scan::analyse_all(&fresh));
        });
        let Ok(items) = rx.await else { continue }; //~ ok(channel)
        for item in &items {
            if let Err(e) = catalog.put(item) { //~ db
                tracing::warn!(error = %e, "index write failed");
            }
        }
        let c = catalog.clone();
        let _ = tokio::task::spawn_blocking(move || c.flush()).await; //~ ok(db)
    }
}
