use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use filetime::FileTime;
use image::ImageFormat;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::render;
use crate::store::{Stats, Store};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub cfg: Arc<Config>,
    pub scratch: Arc<PathBuf>,
}

pub struct AppError(anyhow::Error);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, format!("error: {:#}", self.0)).into_response()
    }
}

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(e: E) -> Self {
        AppError(e.into())
    }
}

type ApiResult<T> = Result<T, AppError>;

#[derive(Deserialize)]
pub struct ThumbQuery {
    side: Option<u32>,
}

#[derive(Deserialize)]
pub struct ConvertQuery {
    ext: String,
}

#[derive(Serialize)]
pub struct ProbeInfo {
    mime: Option<&'static str>,
    width: u32,
    height: u32,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/images/:name", post(upload).get(original))
        .route("/images/:name/thumb", get(thumb))
        .route("/images/:name/thumb-bg", get(thumb_offloaded))
        .route("/images/:name/probe", get(probe))
        .route("/images/:name/touch", post(touch))
        .route("/images/:name/convert", get(convert))
        .route("/preview", post(preview))
        .route("/images", get(list))
        .route("/stats", get(stats))
        .route("/images/:name/delete", post(delete))
        .route("/rerender", post(rerender))
        .with_state(state)
}

async fn upload(State(st): State<AppState>, Path(name): Path<String>, body: Bytes) -> ApiResult<StatusCode> {
    let mime = render::sniff(&body[..])? //~ ok(fs)
        .ok_or_else(|| anyhow::anyhow!("unknown file type"))?;
    if !render::is_supported_mime(mime) {
        return Ok(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    // Validate that it actually decodes before storing it.
    image::load_from_memory(&body)?; //~ ok(fs)
    st.store.save_original(&name, &body)?; //~ fs
    st.store.record_upload(body.len() as u64); //~ lock
    Ok(StatusCode::CREATED)
}

async fn original(State(st): State<AppState>, Path(name): Path<String>) -> ApiResult<Response> {
    let path = st.store.original_path(&name);
    let file = tokio::fs::File::open(&path).await?; //~ ok(fs)
    let std_file = file.into_std().await;
    let mime = render::sniff(std_file)?.unwrap_or("application/octet-stream"); //~ fs
    let bytes = tokio::fs::read(&path).await?; //~ ok(fs)
    Ok(([(header::CONTENT_TYPE, mime)], bytes).into_response())
}

async fn thumb(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ThumbQuery>,
) -> ApiResult<Response> {
    let side = q.side.unwrap_or(st.cfg.max_side).min(st.cfg.max_side);
    let src = st.store.original_path(&name);
    let dst = st.store.thumb_path(&name, side);
    if !st.store.has_thumb(&name, side) { //~ fs
        let (w, h) = render::make_thumbnail(&src, &dst, side)?; //~ fs
        tracing::debug!(w, h, "rendered thumbnail");
        st.store.bump_thumbs(); //~ lock
    }
    let bytes = tokio::fs::read(&dst).await?; //~ ok(fs)
    Ok(([(header::CONTENT_TYPE, "image/png")], bytes).into_response())
}

/// Same as `thumb`, but the rendering runs on the blocking pool.
async fn thumb_offloaded(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ThumbQuery>,
) -> ApiResult<Response> {
    let side = q.side.unwrap_or(st.cfg.max_side).min(st.cfg.max_side);
    let src = st.store.original_path(&name);
    let dst = st.store.thumb_path(&name, side);
    let exists = tokio::fs::try_exists(&dst).await?; //~ ok(fs)
    if !exists {
        let out = dst.clone();
        tokio::task::spawn_blocking(move || render::make_thumbnail(&src, &out, side)).await??; //~ ok(fs)
        let store = st.store.clone();
        tokio::task::spawn_blocking(move || store.bump_thumbs()).await?; //~ ok(lock)
    }
    let bytes = tokio::fs::read(&dst).await?; //~ ok(fs)
    Ok(([(header::CONTENT_TYPE, "image/png")], bytes).into_response())
}

async fn preview(body: Bytes) -> ApiResult<Response> {
    let png = render::thumbnail_bytes(&body, 128)?; //~ ok(fs)
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn probe(State(st): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<ProbeInfo>> {
    let src = st.store.original_path(&name);
    let kind = infer::get_from_path(&src)?; //~ fs
    let (width, height) = image::image_dimensions(&src)?; //~ fs
    Ok(Json(ProbeInfo {
        mime: kind.map(|k| k.mime_type()),
        width,
        height,
    }))
}

async fn touch(State(st): State<AppState>, Path(name): Path<String>) -> ApiResult<StatusCode> {
    let now = FileTime::now(); //~ ok(fs)
    let src = st.store.original_path(&name);
    filetime::set_file_mtime(&src, now)?; //~ fs
    Ok(StatusCode::NO_CONTENT)
}

async fn convert(
    State(st): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ConvertQuery>,
) -> ApiResult<Response> {
    let fmt = ImageFormat::from_extension(&q.ext) //~ ok(fs)
        .ok_or_else(|| anyhow::anyhow!("unknown extension {}", q.ext))?;
    let img = image::open(st.store.original_path(&name))?; //~ fs
    let mut tmp = tempfile::tempfile_in(st.scratch.as_path())?; //~ fs
    render::encode_into(&img, fmt, &mut tmp)?; //~ fs
    tmp.seek(SeekFrom::Start(0))?; //~ fs
    let mut out = Vec::new();
    tmp.read_to_end(&mut out)?; //~ fs
    let mime = fmt.to_mime_type();
    Ok(([(header::CONTENT_TYPE, mime)], out).into_response())
}

async fn list(State(st): State<AppState>) -> Json<Vec<String>> {
    Json(st.store.list_originals()) //~ fs
}

async fn stats(State(st): State<AppState>) -> Json<Stats> {
    Json(st.store.snapshot()) //~ lock
}

async fn delete(State(st): State<AppState>, Path(name): Path<String>) -> ApiResult<StatusCode> {
    let src = st.store.original_path(&name);
    let meta = std::fs::metadata(&src)?; //~ fs
    std::fs::remove_file(&src)?; //~ fs
    for side in [64, 128, st.cfg.max_side] {
        let thumb = st.store.thumb_path(&name, side);
        if thumb.exists() { //~ fs
            tokio::fs::remove_file(&thumb).await?; //~ ok(fs)
        }
    }
    tracing::info!(bytes = meta.len(), "deleted original");
    Ok(StatusCode::NO_CONTENT)
}

/// Re-renders every thumbnail at the configured size.
async fn rerender(State(st): State<AppState>) -> ApiResult<Json<usize>> {
    let mut done = 0;
    for name in st.store.list_originals() { //~ fs
        let src = st.store.original_path(&name);
        let dst = st.store.thumb_path(&name, st.cfg.max_side);
        if render::make_thumbnail(&src, &dst, st.cfg.max_side).is_ok() { //~ fs
            st.store.bump_thumbs(); //~ lock
            done += 1;
        }
    }
    Ok(Json(done))
}
