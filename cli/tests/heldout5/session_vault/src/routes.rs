use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::lmdb_cache::Profile;
use crate::store::Session;
use crate::AppState;

pub struct ApiError(anyhow::Error);

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, self.0.to_string()).into_response()
    }
}

#[derive(Deserialize)]
pub struct NewSession {
    user_id: u64,
    ttl_secs: i64,
    #[serde(default)]
    scopes: Vec<String>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/sessions", post(create_session))
        .route("/sessions/{id}", get(get_session).delete(revoke_session))
        .route("/sessions/{id}/refresh", post(refresh_session))
        .route("/users/{user_id}/sessions", get(list_user_sessions))
        .route("/users/{user_id}/profile", get(get_profile).put(put_profile))
        .route("/admin/flush", post(flush))
        .route("/admin/import", post(import_sessions))
        .route("/admin/export", post(export_sessions))
        .route("/admin/audit/{from}", get(audit_tail))
        .with_state(state)
}

async fn create_session(
    State(state): State<AppState>,
    Json(req): Json<NewSession>,
) -> Result<Json<Session>, ApiError> {
    let created_at = now();
    let session = Session {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: req.user_id,
        created_at,
        expires_at: created_at + req.ttl_secs,
        scopes: req.scopes,
    };
    state.store.save(&session)?; //~ db
    state
        .audit
        .record(AuditEvent::created(&session.id, session.user_id))
        .await?;
    Ok(Json(session))
}

async fn get_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    match state.store.load(&id)? { //~ db
        Some(session) if session.expires_at > now() => Ok(Json(session).into_response()),
        _ => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

async fn refresh_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let refreshed = state.sessions.touch(&id, now() + 3600).await?;
    Ok(if refreshed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    })
}

async fn revoke_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let removed = state.store.revoke(&id)?; //~ db
    if removed {
        state.audit.record(AuditEvent::revoked(&id)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn list_user_sessions(
    State(state): State<AppState>,
    Path(user_id): Path<u64>,
) -> Result<Json<Vec<Session>>, ApiError> {
    let store = state.store.clone();
    let sessions =
        tokio::task::spawn_blocking(move || store.sessions_for_user(user_id)).await??; //~ ok(db)
    Ok(Json(sessions))
}

async fn get_profile(
    State(state): State<AppState>,
    Path(user_id): Path<u64>,
) -> Result<Response, ApiError> {
    match state.profiles.get(&user_id.to_string()).await? {
        Some(profile) => Ok(Json(profile).into_response()),
        None => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

async fn put_profile(
    State(state): State<AppState>,
    Path(user_id): Path<u64>,
    Json(profile): Json<Profile>,
) -> Result<StatusCode, ApiError> {
    state.profiles.put(&user_id.to_string(), &profile).await?;
    state
        .audit
        .record(AuditEvent::profile_updated(user_id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn flush(State(state): State<AppState>) -> Result<String, ApiError> {
    let bytes = state.store.persist()?; //~ db
    let on_disk = state.sessions.size_on_disk()?; //~ db
    Ok(format!("flushed {bytes} bytes, {on_disk} bytes on disk"))
}

async fn import_sessions(
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<String, ApiError> {
    let sessions: Vec<Session> = serde_json::from_slice(&body)?; //~ ok(fs)
    let store = state.store.clone();
    let imported = tokio::task::spawn_blocking(move || {
        for session in &sessions {
            store.save(session)?; //~ ok(db)
        }
        Ok::<_, anyhow::Error>(sessions.len())
    })
    .await??;
    Ok(format!("imported {imported} sessions"))
}

async fn export_sessions(State(state): State<AppState>) -> Result<String, ApiError> {
    let sessions = state.sessions.clone();
    let dump = tokio::task::spawn_blocking(move || sessions.export_json()).await??; //~ ok(db)
    let tmp = "vault-export.json.tmp";
    tokio::fs::write(tmp, &dump).await?; //~ ok(fs)
    tokio::fs::rename(tmp, "vault-export.json").await?; //~ ok(fs)
    Ok(format!("exported {} bytes", dump.len()))
}

async fn audit_tail(
    State(state): State<AppState>,
    Path(from): Path<u64>,
) -> Result<Json<Vec<String>>, ApiError> {
    let audit = state.audit.clone();
    let lines = tokio::task::spawn_blocking(move || audit.read_from(from, 500)).await??; //~ ok(db)
    Ok(Json(lines))
}

pub async fn janitor(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match state.sessions.expire_before(now()).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(removed = n, "expired sessions");
                if let Err(err) = state.audit.record(AuditEvent::expired(n)).await {
                    tracing::warn!(%err, "audit write failed");
                }
            }
            Err(err) => {
                tracing::warn!(%err, "janitor pass failed, backing off");
                tokio::time::sleep(Duration::from_secs(30)).await; //~ ok(sleep)
            }
        }
    }
}
