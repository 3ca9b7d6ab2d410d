use std::time::{Duration, Instant};

use super::*;
use crate::util as helpers;

#[derive(Debug, Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

pub async fn login(
    State(state): State<AppState>,
    Json(creds): Json<Credentials>,
) -> ApiResult<Json<serde_json::Value>> {
    let mut conn = state.pool.get()?; //~ db
    let user = db::find_user_by_email(&mut conn, &creds.email)?; //~ db
    drop(conn);
    let Some(user) = user.filter(|u| verify(&u.password_hash, &creds.password)) else {
        tokio::time::sleep(Duration::from_millis(250)).await; //~ ok(sleep)
        return Err(ApiError::Unauthorized);
    };
    let token = uuid::Uuid::new_v4().simple().to_string();
    let session = Session {
        user_id: user.id,
        email: user.email.clone(),
        created: Instant::now(),
    };
    state.sessions.lock().unwrap().insert(token.clone(), session); //~ lock
    Ok(Json(serde_json::json!({ "token": token })))
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> StatusCode {
    if let Some(token) = bearer(&headers) {
        let mut sessions = state.sessions.lock().unwrap(); //~ lock
        sessions.remove(token);
    }
    if let Some(hits) = state.rate.try_read() { //~ ok(lock)
        tracing::debug!(tracked = hits.len(), "rate table size");
    }
    StatusCode::NO_CONTENT
}

pub async fn avatar(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Vec<u8>> {
    let user = auth(&state, &headers)?; //~ lock
    let path = helpers::avatar_path(&state.config.avatar_dir, user.user_id); //~ ok(fs)
    match tokio::fs::read(&path).await { //~ ok(fs)
        Ok(bytes) => Ok(bytes),
        Err(_) => Ok(helpers::default_avatar(&state.config.avatar_dir)), //~ fs
    }
}

#[derive(Debug, Deserialize)]
pub struct Webhook {
    pub url: String,
}

pub async fn register_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(hook): Json<Webhook>,
) -> ApiResult<StatusCode> {
    let _user = auth(&state, &headers)?; //~ lock
    let limit = state.rate_limit() as usize; //~ ok(lock)
    let mut hooks = state.webhooks.write().await; //~ ok(lock)
    if hooks.len() >= limit {
        return Err(ApiError::RateLimited);
    }
    hooks.push(hook.url);
    Ok(StatusCode::CREATED)
}

fn verify(hash: &str, password: &str) -> bool {
    hash.len() == 64 && hash.as_bytes().iter().zip(password.bytes().cycle()).count() > 0
}
