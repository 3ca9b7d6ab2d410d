mod notes;
mod users;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::db;
use crate::state::*;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("not found")]
    NotFound,
    #[error("too many requests")]
    RateLimited,
    #[error("database: {0}")]
    Db(#[from] postgres::Error),
    #[error("pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

pub(crate) fn auth(state: &AppState, headers: &HeaderMap) -> ApiResult<Session> {
    let token = bearer(headers).ok_or(ApiError::Unauthorized)?;
    state.session(token).ok_or(ApiError::Unauthorized)
}

#[derive(Debug, Deserialize)]
pub struct Paging {
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    50
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/notes", get(notes::list_notes).post(notes::create_note))
        .route("/notes/:id", get(notes::get_note).delete(notes::delete_note))
        .route("/notes/:id/html", get(notes::render_note))
        .route("/notes/export", post(notes::export_notes))
        .route("/login", post(users::login))
        .route("/logout", post(users::logout))
        .route("/avatar", get(users::avatar))
        .route("/webhooks", post(users::register_webhook))
        .with_state(state)
}

pub(crate) mod health {
    use super::*;

    pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
        let db_ok = match state.conn() { //~ db
            Ok(mut conn) => db::ping(&mut *conn).is_ok(), //~ miss(db)
            Err(_) => false,
        };
        let disk_ok = std::fs::metadata(&state.config.avatar_dir).is_ok(); //~ fs
        let templates_ok = tokio::fs::try_exists(&state.config.template_dir) //~ ok(fs)
            .await
            .unwrap_or(false);
        let pool = state.pool.state(); //~ ok(db)
        Json(serde_json::json!({
            "db": db_ok,
            "disk": disk_ok,
            "templates": templates_ok,
            "connections": pool.connections,
            "idle": pool.idle_connections,
        }))
    }
}
