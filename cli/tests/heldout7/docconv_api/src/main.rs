//! Document conversion API: PDF/EPUB text, spreadsheets, LibreOffice conversions.

mod api;
mod convert;
mod render;
mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::RwLock;
use warp::Filter;

use crate::convert::Converter;
use crate::render::Renderer;
use crate::store::JobStore;

pub struct AppState {
    pub store: JobStore,
    pub converter: Converter,
    pub renderer: RwLock<Renderer>,
}

pub type Shared = Arc<AppState>;

fn with_state(state: Shared) -> impl Filter<Extract = (Shared,), Error = std::convert::Infallible> + Clone {
    warp::any().map(move || state.clone())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt::init();
    let data_dir = PathBuf::from(std::env::var("DOCCONV_DATA").unwrap_or_else(|_| "/var/lib/docconv".into()));
    let template_glob = std::env::var("DOCCONV_TEMPLATES").unwrap_or_else(|_| "templates/**/*.html".into());

    tokio::fs::create_dir_all(data_dir.join("jobs")).await.expect("data dir"); //~ ok(fs)
    let renderer = Renderer::from_glob(&template_glob).expect("templates"); //~ fs
    let state: Shared = Arc::new(AppState {
        store: JobStore::new(data_dir.join("jobs")),
        converter: Converter::new("soffice", Duration::from_secs(120)),
        renderer: RwLock::new(renderer),
    });

    let limit = warp::body::content_length_limit(64 * 1024 * 1024);
    let pdf_text = warp::path!("v1" / "pdf" / "text").and(warp::post()).and(limit).and(warp::body::bytes()).and(with_state(state.clone())).and_then(api::pdf_text);
    let pdf_pages = warp::path!("v1" / "pdf" / "pages").and(warp::post()).and(limit).and(warp::body::bytes()).and(with_state(state.clone())).and_then(api::pdf_pages);
    let xlsx_import = warp::path!("v1" / "xlsx" / "import").and(warp::post()).and(limit).and(warp::body::bytes()).and(with_state(state.clone())).and_then(api::xlsx_import);
    let xlsx_export = warp::path!("v1" / "xlsx" / "export").and(warp::post()).and(warp::body::json()).and(with_state(state.clone())).and_then(api::xlsx_export);
    let epub = warp::path!("v1" / "epub" / "chapters").and(warp::post()).and(limit).and(warp::body::bytes()).and(with_state(state.clone())).and_then(api::epub_chapters);
    let office = warp::path!("v1" / "office" / String).and(warp::post()).and(limit).and(warp::body::bytes()).and(with_state(state.clone())).and_then(api::office_convert);
    let reload = warp::path!("admin" / "reload-templates").and(warp::post()).and(with_state(state.clone())).and_then(api::reload_templates);
    let report = warp::path!("v1" / "jobs" / String / "report").and(warp::get()).and(with_state(state.clone())).and_then(api::job_report);

    let routes = pdf_text.or(pdf_pages).or(xlsx_import).or(xlsx_export).or(epub).or(office).or(reload).or(report);
    warp::serve(routes).run(([0, 0, 0, 0], 8080)).await;
}
