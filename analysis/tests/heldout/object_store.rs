//! A minimal S3-compatible object store: PUT/GET/HEAD/DELETE/LIST on
//! `/{bucket}/{key}`, objects kept as files under a data root, an in-memory
//! index and an append-only journal.

use axum::{
    body::Bytes,
    extract::{Path as UrlPath, State},
    http::{HeaderMap, StatusCode},
    routing::get,
    Router,
};
use parking_lot::RwLock;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

struct Store {
    root: PathBuf,
    index: RwLock<BTreeMap<String, ObjectMeta>>,
    journal: parking_lot::Mutex<File>,
}

#[derive(Clone)]
struct ObjectMeta {
    size: u64,
    etag: String,
}

impl Store {
    fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root.join(bucket).join(key)
    }

    /// In-memory lookup, no file system involved.
    fn metadata(&self, bucket: &str, key: &str) -> Option<ObjectMeta> {
        self.index.read().get(&format!("{bucket}/{key}")).cloned() //~ ok(lock)
    }
}

type Shared = Arc<Store>;
type Key = UrlPath<(String, String)>;

const ISE: StatusCode = StatusCode::INTERNAL_SERVER_ERROR;

async fn put_object(State(store): State<Shared>, UrlPath((bucket, key)): Key, body: Bytes) -> Result<HeaderMap, StatusCode> {
    let path = store.object_path(&bucket, &key);
    fs::create_dir_all(path.parent().unwrap()).map_err(|_| ISE)?; //~ fs
    let mut file = File::create(&path).map_err(|_| ISE)?; //~ fs
    file.write_all(&body).map_err(|_| ISE)?; //~ fs
    file.sync_all().ok(); //~ fs
    let etag = hex::encode(Sha256::digest(&body));
    let meta = ObjectMeta { size: body.len() as u64, etag: etag.clone() };
    store.index.write().insert(format!("{bucket}/{key}"), meta); //~ lock
    writeln!(store.journal.lock(), "PUT {bucket}/{key} {etag}").ok(); //~ lock, fs
    let mut headers = HeaderMap::new();
    headers.insert("ETag", etag.parse().unwrap());
    Ok(headers)
}

async fn head_object(State(store): State<Shared>, UrlPath((bucket, key)): Key) -> Result<HeaderMap, StatusCode> {
    let meta = store.metadata(&bucket, &key).ok_or(StatusCode::NOT_FOUND)?; //~ ok(fs)
    let mut headers = HeaderMap::new();
    headers.insert("Content-Length", meta.size.into());
    headers.insert("ETag", meta.etag.parse().unwrap());
    Ok(headers)
}

async fn get_object(State(store): State<Shared>, UrlPath((bucket, key)): Key, headers: HeaderMap) -> Result<Vec<u8>, StatusCode> {
    let path = store.object_path(&bucket, &key);
    if !path.is_file() { //~ fs
        return Err(StatusCode::NOT_FOUND);
    }
    let range = headers.get("Range").and_then(|v| v.to_str().ok()).and_then(parse_range);
    match range {
        Some((start, len)) => {
            let mut f = OpenOptions::new().read(true).open(&path).map_err(|_| ISE)?; //~ fs
            let mut all = Vec::new();
            f.read_to_end(&mut all).map_err(|_| ISE)?; //~ fs
            let end = (start + len).min(all.len() as u64) as usize;
            Ok(all[start as usize..end].to_vec())
        }
        None => tokio::fs::read(&path).await.map_err(|_| ISE), //~ ok(fs)
    }
}

async fn delete_object(State(store): State<Shared>, UrlPath((bucket, key)): Key) -> StatusCode {
    let path = store.object_path(&bucket, &key);
    let removed = tokio::task::spawn_blocking(move || fs::remove_file(&path).is_ok()) //~ ok(fs)
        .await
        .unwrap_or(false);
    store.index.write().remove(&format!("{bucket}/{key}")); //~ lock
    if removed { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND }
}

async fn list_bucket(State(store): State<Shared>, UrlPath(bucket): UrlPath<String>) -> String {
    let prefix = format!("{bucket}/");
    let names: Vec<String> = {
        let index = store.index.read(); //~ lock
        index.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone()).collect()
    };
    let on_disk = store.root.join(&bucket).exists(); //~ fs
    format!("{}\n{on_disk}", names.join("\n")) //~ ok(thread_join)
}

fn parse_range(v: &str) -> Option<(u64, u64)> {
    let (a, b) = v.strip_prefix("bytes=")?.split_once('-')?;
    let (a, b): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
    Some((a, b.checked_sub(a)? + 1))
}

pub fn router(root: PathBuf) -> Router {
    let journal = OpenOptions::new().append(true).create(true).open(root.join("journal")).unwrap(); //~ ok(fs)
    let store = Arc::new(Store { root, index: RwLock::default(), journal: parking_lot::Mutex::new(journal) });
    Router::new()
        .route("/:bucket", get(list_bucket))
        .route("/:bucket/*key", get(get_object).put(put_object).head(head_object).delete(delete_object))
        .with_state(store)
}
