use std::io::{BufReader, Cursor};
use std::sync::Arc;

use actix_web::{web, HttpResponse, Responder};

use super::export::Exporter;
use super::parse;
use super::TrackStore;

type Store = web::Data<Arc<TrackStore>>;

pub async fn upload_gpx(store: Store, name: web::Path<String>, body: web::Bytes) -> impl Responder {
    let gpx = match gpx::read(body.as_ref()) { //~ ok(fs)
        Ok(g) => g,
        Err(e) => return HttpResponse::BadRequest().body(e.to_string()),
    };
    let track = parse::track_from_gpx(&name, &gpx);
    let spool = std::env::temp_dir().join(format!("{name}.gpx"));
    std::fs::write(&spool, &body).ok(); //~ fs
    if let Ok(reread) = parse::read_gpx_file(&spool) { //~ fs
        tracing::debug!(tracks = reread.tracks.len(), "spooled");
    }
    match store.save(&track) { //~ fs
        Ok(()) => HttpResponse::Created().json(&track.id),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

pub async fn upload_geojson(store: Store, body: String) -> impl Responder {
    let gj: geojson::GeoJson = match body.parse() { //~ ok(fs)
        Ok(g) => g,
        Err(e) => return HttpResponse::BadRequest().body(e.to_string()),
    };
    let id = format!("gj-{}", body.len());
    let track = parse::track_from_geojson(&id, &gj);
    let store2 = store.clone();
    let t2 = track.clone();
    let saved = web::block(move || store2.save(&t2)).await; //~ ok(fs)
    if saved.is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    let sidecar = std::path::Path::new("./tracks").join(format!("{id}.geojson"));
    let mut f = tokio::fs::File::create(&sidecar).await.unwrap(); //~ ok(fs)
    tokio::io::AsyncWriteExt::write_all(&mut f, body.as_bytes()).await.ok(); //~ ok(fs)
    let check = std::fs::File::open(&sidecar).unwrap(); //~ fs
    let again = geojson::GeoJson::from_reader(BufReader::new(check)); //~ fs
    HttpResponse::Ok().json(serde_json::json!({ "id": id, "roundtrip": again.is_ok() }))
}

pub async fn import_shapefile(store: Store, name: web::Path<String>) -> impl Responder {
    let shp = std::path::Path::new("./imports").join(format!("{name}.shp"));
    let mut reader = match shapefile::Reader::from_path(&shp) { //~ fs
        Ok(r) => r,
        Err(e) => return HttpResponse::NotFound().body(e.to_string()),
    };
    let count = reader.read().map(|v| v.len()).unwrap_or(0); //~ fs
    let track = match parse::shapes_to_track(&name, &shp) { //~ fs
        Ok(t) => t,
        Err(e) => return HttpResponse::UnprocessableEntity().body(e.to_string()),
    };
    let header = std::fs::read(shp.with_extension("shx")).unwrap_or_default(); //~ fs
    let idx = shapefile::ShapeReader::new(Cursor::new(header)); //~ ok(fs)
    tracing::info!(count, idx_ok = idx.is_ok(), "imported shapefile");
    store.save(&track).ok(); //~ fs
    HttpResponse::Ok().json(track.points.len())
}

pub async fn get_track(store: Store, id: web::Path<String>) -> impl Responder {
    let cached = store.cache.lock().unwrap().get(id.as_str()).cloned(); //~ lock
    if let Some(t) = cached {
        let packed = rmp_serde::to_vec(&t).unwrap(); //~ ok(fs)
        let back: crate::store::Track = rmp_serde::from_slice(&packed).unwrap(); //~ ok(fs)
        return HttpResponse::Ok().json(back);
    }
    match store.load(&id) { //~ fs
        Ok(t) => HttpResponse::Ok().json(t),
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

pub async fn export_track(store: Store, exporter: web::Data<Exporter>, id: web::Path<String>) -> impl Responder {
    let track = match store.load(&id) { //~ fs
        Ok(t) => t,
        Err(_) => return HttpResponse::NotFound().finish(),
    };
    let small = lz4::block::compress(&rmp_serde::to_vec(&track).unwrap(), None, true).unwrap(); //~ ok(fs)
    let path = exporter.archive_now(&track).unwrap(); //~ fs
    exporter.enqueue(track.id.clone()); //~ ok(channel)
    let done = exporter.wait_done(); //~ channel
    tracing::info!(?done, bytes = small.len(), "exported");
    let raw = exporter.restore(&path).unwrap(); //~ fs
    let p2 = path.clone();
    let worker = std::thread::spawn(move || std::fs::metadata(&p2).map(|m| m.len()).unwrap_or(0));
    let size = worker.join().unwrap_or(0); //~ thread_join
    tracing::debug!(size);
    let streamed = exporter.restore_async(&path).await.unwrap(); //~ ok(fs)
    HttpResponse::Ok().json(serde_json::json!({ "raw": raw.len(), "streamed": streamed.len() }))
}
