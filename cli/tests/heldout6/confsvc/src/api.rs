use std::collections::BTreeMap;
use std::fs::File;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};

use crate::prefs::UiPrefs;
use crate::settings::{self, Settings};
use crate::sources::{self, Snapshot};

#[derive(Clone)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub snapshot: Arc<RwLock<Snapshot>>,
    pub overrides: Arc<tokio::sync::RwLock<BTreeMap<String, String>>>,
}

pub struct ApiError(anyhow::Error);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, self.0.to_string()).into_response()
    }
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

type R<T> = Result<T, ApiError>;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/values", get(all_values))
        .route("/values/:key", get(one_value))
        .route("/flags", get(flags))
        .route("/flags/reload", post(reload_flags))
        .route("/flags/preview", post(preview_flags))
        .route("/ini/:name", put(put_ini).get(get_ini))
        .route("/ini/:name/check", post(check_ini))
        .route("/overrides", get(get_overrides).put(put_overrides))
        .route("/prefs", get(get_prefs).put(put_prefs))
        .route("/prefs/location", get(prefs_location))
        .route("/export", get(export_yaml).post(export_file))
        .route("/settings/reload", post(reload_settings))
        .route("/diff", get(diff))
        .with_state(state)
}

async fn all_values(State(st): State<AppState>) -> Json<BTreeMap<String, String>> {
    let snap = st.snapshot.read().unwrap(); //~ lock
    Json(snap.values.clone())
}

async fn one_value(State(st): State<AppState>, Path(key): Path<String>) -> R<String> {
    if let Some(v) = st.overrides.read().await.get(&key) { //~ ok(lock)
        return Ok(v.clone());
    }
    let value = st.snapshot.read().unwrap().values.get(&key).cloned(); //~ lock
    value.ok_or_else(|| anyhow::anyhow!("no such key: {key}").into())
}

async fn flags(State(st): State<AppState>) -> Json<BTreeMap<String, bool>> {
    Json(st.snapshot.read().expect("poisoned").flags.clone()) //~ lock
}

async fn reload_flags(State(st): State<AppState>) -> R<Json<BTreeMap<String, bool>>> {
    let fresh = sources::read_flags_file(&st.settings.flags_file)?; //~ fs
    st.snapshot.write().unwrap().flags = fresh.clone(); //~ lock
    Ok(Json(fresh))
}

async fn preview_flags(body: Bytes) -> R<Json<BTreeMap<String, bool>>> {
    Ok(Json(sources::parse_flags(&body)?)) //~ ok(fs)
}

async fn put_ini(State(st): State<AppState>, Path(name): Path<String>, body: String) -> R<StatusCode> {
    sources::write_ini(&st.settings.ini_dir, &name, &body)?; //~ fs
    Ok(StatusCode::NO_CONTENT)
}

async fn get_ini(State(st): State<AppState>, Path(name): Path<String>) -> R<Json<BTreeMap<String, String>>> {
    let path = st.settings.ini_dir.join(format!("{name}.ini"));
    let file = File::open(&path)?; //~ fs
    let parsed = sources::read_ini(&name, file)?; //~ fs
    Ok(Json(parsed))
}

async fn check_ini(Path(name): Path<String>, body: Bytes) -> R<Json<BTreeMap<String, String>>> {
    let from_reader = sources::read_ini(&name, &body[..])?; //~ ok(fs)
    let text = std::str::from_utf8(&body)?;
    let from_str = sources::parse_ini_str(&name, text)?; //~ ok(fs)
    anyhow::ensure!(from_reader == from_str, "reader/str parse mismatch");
    Ok(Json(from_str))
}

async fn get_overrides(State(st): State<AppState>) -> R<String> {
    let o = st.overrides.read().await; //~ ok(lock)
    Ok(serde_yaml::to_string(&*o)?) //~ ok(fs)
}

async fn put_overrides(State(st): State<AppState>, body: String) -> R<StatusCode> {
    let parsed = sources::parse_overrides(&body)?; //~ ok(fs)
    sources::save_overrides(&st.settings.overrides_file, &parsed)?; //~ fs
    *st.overrides.write().await = parsed; //~ ok(lock)
    Ok(StatusCode::NO_CONTENT)
}

async fn get_prefs() -> R<Json<UiPrefs>> {
    Ok(Json(UiPrefs::load()?)) //~ fs
}

async fn put_prefs(Json(p): Json<UiPrefs>) -> R<StatusCode> {
    p.save()?; //~ fs
    Ok(StatusCode::NO_CONTENT)
}

async fn prefs_location() -> R<String> {
    let p = UiPrefs::location()?; //~ ok(fs)
    Ok(p.display().to_string())
}

async fn export_yaml(State(st): State<AppState>) -> R<String> {
    let snap = st.snapshot.read().unwrap().clone(); //~ lock
    Ok(serde_yaml::to_string(&snap)?) //~ ok(fs)
}

async fn export_file(State(st): State<AppState>) -> R<StatusCode> {
    let snap = st.snapshot.read().unwrap().clone(); //~ lock
    let out = File::create("export.yaml")?; //~ fs
    serde_yaml::to_writer(out, &snap)?; //~ fs
    Ok(StatusCode::CREATED)
}

async fn reload_settings() -> R<Json<Settings>> {
    let s = settings::load("confsvc.toml")?; //~ fs
    Ok(Json(s))
}

/// Compares what is on disk now with the served snapshot.
async fn diff(State(st): State<AppState>) -> R<Json<Vec<String>>> {
    let on_disk = sources::load_ini_dir(&st.settings.ini_dir)?; //~ fs
    let overrides = sources::load_overrides(&st.settings.overrides_file)?; //~ fs
    let flags = sources::read_flags_file(&st.settings.flags_file)?; //~ fs
    let served = st.snapshot.read().unwrap().clone(); //~ lock
    let mut out = Vec::new();
    for (k, v) in on_disk.iter().chain(overrides.iter()) {
        if served.values.get(k) != Some(v) {
            out.push(format!("value {k}"));
        }
    }
    for (k, v) in &flags {
        if served.flags.get(k) != Some(v) {
            out.push(format!("flag {k}"));
        }
    }
    Ok(Json(out))
}
