// An axum app with shared state and a few shortcuts that block.
use axum::{extract::State, Json};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<parking_lot::Mutex<Vec<String>>>,
    pub config_path: std::path::PathBuf,
}

pub async fn list(State(state): State<AppState>) -> Json<Vec<String>> {
    let rows = state.db.lock().clone(); //~ lock
    Json(rows)
}

pub async fn config(State(state): State<AppState>) -> String {
    let raw = std::fs::read_to_string(&state.config_path).unwrap_or_default(); //~ fs
    let meta = tokio::fs::metadata(&state.config_path).await; //~ ok(fs)
    format!("{raw}{}", meta.is_ok())
}

pub async fn health() -> &'static str {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await; //~ ok(sleep)
    "ok"
}

pub async fn upload(body: axum::body::Bytes) -> Result<(), String> {
    let path = std::env::temp_dir().join("upload.bin");
    tokio::task::spawn_blocking(move || std::fs::write(path, &body)) //~ ok(fs)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

pub async fn legacy_report() -> String {
    let out = std::process::Command::new("report").output().unwrap(); //~ process
    String::from_utf8_lossy(&out.stdout).into_owned()
}
