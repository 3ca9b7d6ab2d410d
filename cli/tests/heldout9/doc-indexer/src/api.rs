use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use camino::Utf8Path;
use odbc_api::{ConnectionOptions, Cursor};
use rusty_leveldb::{Options, DB};
use serde::Deserialize;
use tantivy::{Index, IndexWriter, TantivyDocument};

use crate::catalog::{odbc_env, Catalog};
use crate::ingest;
use crate::search::SearchIndex;
use crate::store::*;
use crate::Settings;

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub index: Arc<SearchIndex>,
    pub docs: Arc<Mutex<DocStore>>,
    pub blobs: Arc<tokio::sync::Mutex<BlobArena>>,
    pub catalog: Arc<Catalog>,
}

impl AppState {
    pub async fn init(settings: Arc<Settings>) -> anyhow::Result<Self> {
        let index = if settings.index_dir.as_str() == ":memory:" {
            SearchIndex::in_ram()? //~ ok(fs)
        } else {
            SearchIndex::open(&settings.index_dir)? //~ fs
        };
        let docs = DocStore::open(&settings.kv_dir)?; //~ fs
        let blobs = BlobArena::open(&settings.blob_file, 4096, 64 * 1024)?; //~ fs
        let catalog = Catalog::connect(&settings.dsn)?; //~ db
        Ok(Self {
            settings,
            index: Arc::new(index),
            docs: Arc::new(Mutex::new(docs)),
            blobs: Arc::new(tokio::sync::Mutex::new(blobs)),
            catalog: Arc::new(catalog),
        })
    }
}

pub async fn serve(state: AppState, listen: &str) -> anyhow::Result<()> {
    let worker = state.clone();
    tokio::spawn(async move { ingest_loop(worker).await });
    let app = Router::new()
        .route("/search", get(search))
        .route("/doc/:id", get(fetch_doc))
        .route("/ingest", post(ingest_body))
        .route("/thumb/:slot", post(put_thumb))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen).await?; //~ ok(net)
    axum::serve(listener, app).await?; //~ ok(net)
    Ok(())
}

#[derive(Deserialize)]
struct SearchParams {
    q: String,
    limit: Option<usize>,
}

async fn search(State(st): State<AppState>, Query(p): Query<SearchParams>) -> Json<Vec<String>> {
    let titles = st.index.query(&p.q, p.limit.unwrap_or(10)).unwrap_or_default();
    Json(titles)
}

async fn fetch_doc(State(st): State<AppState>, Path(id): Path<String>) -> Vec<u8> {
    let busy = st.docs.try_lock().is_err(); //~ ok(lock)
    tracing::debug!(busy, "doc store contention");
    let body = st.docs.lock().unwrap().get_doc(&id); //~ fs
    body.unwrap_or_default()
}

async fn ingest_body(State(st): State<AppState>, body: String) -> Json<usize> {
    let docs = ingest::parse_feed_str(&body).unwrap_or_default(); //~ ok(fs)
    let embargoed = st.catalog.embargoed_ids().unwrap_or_default(); //~ db
    let mut n = 0;
    for d in docs.iter().filter(|d| !embargoed.contains(&d.id)) {
        st.index.add(d).ok();
        st.docs.lock().unwrap().put_doc(&d.id, d.body.as_bytes()).ok(); //~ fs
        n += 1;
    }
    st.index.commit().ok(); //~ fs
    Json(n)
}

async fn put_thumb(State(st): State<AppState>, Path(slot): Path<usize>, body: axum::body::Bytes) -> &'static str {
    let mut arena = st.blobs.lock().await; //~ ok(lock)
    arena.put(slot, &body);
    if slot % 64 == 0 {
        arena.sync().ok(); //~ fs
    }
    "ok"
}

async fn ingest_loop(st: AppState) {
    loop {
        if let Err(e) = ingest_once(&st).await {
            tracing::warn!(%e, "ingest pass failed");
            std::thread::sleep(Duration::from_secs(5)); //~ sleep
        }
        tokio::time::sleep(Duration::from_secs(60)).await; //~ ok(sleep)
    }
}

async fn ingest_once(st: &AppState) -> anyhow::Result<()> {
    let dir = &st.settings.feed_dir;
    if !dir.is_dir() { //~ fs
        anyhow::bail!("feed dir {dir} missing");
    }
    let canonical = dir.canonicalize_utf8()?; //~ fs
    let files = ingest::scan_dir(&canonical)?; //~ fs
    for path in files {
        let meta = path.metadata()?; //~ fs
        let docs = if meta.len() > 8 * 1024 * 1024 {
            ingest::parse_feed_async(&path).await? //~ ok(fs)
        } else {
            ingest::parse_feed_file(&path)? //~ fs
        };
        {
            let mut store = st.docs.lock().unwrap(); //~ lock
            for d in &docs {
                st.index.add(d)?;
                store.put_doc(&d.id, d.body.as_bytes())?; //~ fs
            }
            store.flush()?; //~ fs
        }
        tokio::fs::remove_file(&path).await?; //~ ok(fs)
    }
    let idx = st.index.clone();
    tokio::task::spawn_blocking(move || idx.commit()).await??; //~ ok(fs)
    let titles = {
        let cat = st.catalog.clone();
        tokio::task::spawn_blocking(move || cat.titles_batch(500)).await?? //~ ok(db)
    };
    tracing::info!(n = titles.len(), "catalog titles refreshed");
    Ok(())
}

/// `--reindex`: rebuild the search index from the raw document store.
pub async fn full_reindex(settings: &Settings) -> anyhow::Result<()> {
    let conn = odbc_env().connect_with_connection_string(&settings.dsn, ConnectionOptions::default())?; //~ db
    let mut ids = Vec::new();
    if let Some(mut cursor) = conn.execute("SELECT doc_id FROM documents", ())? { //~ db
        let mut buf = Vec::new();
        while let Some(mut row) = cursor.next_row()? { //~ db
            row.get_text(1, &mut buf)?; //~ db
            ids.push(String::from_utf8_lossy(&buf).into_owned());
        }
    }
    let nap = || tokio::time::sleep(Duration::from_millis(20));
    let polled = conn.execute_polling("UPDATE reindex_log SET started = now()", (), nap).await?; //~ ok(db)
    drop(polled);

    let mut kv = DB::open(settings.kv_dir.as_std_path(), Options::default())?; //~ fs
    let mut scratch = DB::open("reindex-scratch", rusty_leveldb::in_memory())?; //~ ok(fs)
    let index = Index::open_in_dir(&settings.index_dir)?; //~ fs
    let mut writer: IndexWriter<TantivyDocument> = index.writer(128 * 1024 * 1024)?; //~ fs
    writer.delete_all_documents()?;
    let (_, fields) = crate::search::schema();
    for id in &ids {
        if let Some(body) = kv.get(id.as_bytes()) { //~ fs
            scratch.put(id.as_bytes(), &body)?; //~ ok(fs)
            writer.add_document(tantivy::doc!(fields.id => id.clone(), fields.body => String::from_utf8_lossy(&body).into_owned()))?;
        }
    }
    kv.put(b"__reindexed_at", chrono_now().as_bytes())?; //~ fs
    writer.commit()?; //~ fs
    writer.wait_merging_threads()?; //~ thread_join

    let catalog = Catalog::connect(&settings.dsn)?; //~ db
    let recent = catalog.titles_batch(100)?; //~ db
    tracing::info!(n = recent.len(), "recent titles");
    let arena = BlobArena::anonymous(16, 1024)?; //~ ok(fs)
    drop(arena);
    let snapshot = crate::store::blobs::map_populated(Utf8Path::new(settings.blob_file.as_str()))?; //~ fs
    let direct = unsafe { memmap2::MmapOptions::new().populate().map(&std::fs::File::open(&settings.blob_file)?)? }; //~ fs
    let mut xml = quick_xml::Reader::from_file(settings.feed_dir.join("manifest.xml"))?; //~ fs
    let mut buf = Vec::new();
    let first = xml.read_event_into(&mut buf)?; //~ fs
    tracing::info!(?first, snapshot = snapshot.len(), direct = direct.len(), "reindex done");
    let mut from_str = quick_xml::Reader::from_str("<manifest/>"); //~ ok(fs)
    let _ = from_str.read_event(); //~ ok(fs)
    let listing = tokio::fs::read_dir(&settings.feed_dir).await?; //~ ok(fs)
    drop(listing);
    Ok(())
}

fn chrono_now() -> String {
    format!("{:?}", std::time::SystemTime::now())
}
