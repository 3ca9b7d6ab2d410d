mod export;
mod parse;
mod routes;
mod store;

use std::sync::Arc;

use actix_web::{web, App, HttpServer};

pub use store::TrackStore;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt::init();
    let store = Arc::new(TrackStore::open("./tracks")?); //~ fs
    store.warm_cache()?; //~ fs

    let exporter = export::Exporter::start(store.clone());

    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(store.clone()))
            .app_data(web::Data::new(exporter.clone()))
            .route("/gpx/{name}", web::post().to(routes::upload_gpx))
            .route("/geojson", web::post().to(routes::upload_geojson))
            .route("/shp/{name}", web::get().to(routes::import_shapefile))
            .route("/track/{id}", web::get().to(routes::get_track))
            .route("/export/{id}", web::post().to(routes::export_track))
    })
    .bind(("0.0.0.0", 8087))? //~ ok(net)
    .run()
    .await
}
