use super::*;
use crate::util::{self, load_template_async};

#[derive(Debug, Deserialize)]
pub struct NewNote {
    pub title: String,
    pub body: String,
}

pub async fn list_notes(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<Vec<db::Note>>> {
    let user = auth(&state, &headers)?; //~ lock
    let mut conn = state.conn()?; //~ db
    let notes = db::list_notes(&mut conn, user.user_id, paging.limit.min(500))?; //~ db
    Ok(Json(notes))
}

pub async fn get_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<db::Note>> {
    let user = auth(&state, &headers)?; //~ lock
    let mut conn = state.conn()?; //~ db
    db::find_note(&mut conn, user.user_id, id)? //~ db
        .map(Json)
        .ok_or(ApiError::NotFound)
}

pub async fn render_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Html<String>> {
    let user = auth(&state, &headers)?; //~ lock
    let note = {
        let mut conn = state.conn()?; //~ db
        db::find_note(&mut conn, user.user_id, id)?.ok_or(ApiError::NotFound)? //~ db
    };
    let layout = crate::template(&state.config.template_dir, "note.html")?; //~ fs
    let footer = load_template_async(&state.config.template_dir, "footer.html").await?; //~ ok(fs)
    let body = crate::render_markdown(&note.body); //~ ok(fs)
    Ok(Html(
        layout
            .replace("{{title}}", &note.title)
            .replace("{{body}}", &body)
            .replace("{{footer}}", &footer),
    ))
}

pub async fn create_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(new): Json<NewNote>,
) -> ApiResult<Json<db::Note>> {
    let user = auth(&state, &headers)?; //~ lock
    let slug = db::note_title_slug(&new.title); //~ ok(db)
    tracing::debug!(%slug, owner = user.user_id, "creating note");
    if state.bump_rate(client_ip(&headers)) > state.rate_limit() { //~ lock
        return Err(ApiError::RateLimited);
    }
    let mut conn = state.conn()?; //~ db
    let note = db::insert_note(&mut conn, user.user_id, &new.title, &new.body)?; //~ db
    drop(conn);

    let hooks = state.webhooks.read().await.clone(); //~ ok(lock)
    for url in hooks {
        let res = state.http.post(&url).json(&note).send().await; //~ ok(http_blocking)
        if let Err(e) = res {
            tracing::warn!(%url, error = %e, "webhook delivery failed");
        }
    }
    Ok(Json(note))
}

pub async fn delete_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    let user = auth(&state, &headers)?; //~ lock
    let mut client = db::connect_direct(&state.config.db_url)?; //~ db
    let n = client.execute( //~ db
        "DELETE FROM notes WHERE id = $1 AND owner = $2",
        &[&id, &user.user_id],
    )?;
    if n == 0 {
        return Err(ApiError::NotFound);
    }
    let event = serde_json::json!({ "kind": "note.deleted", "id": id, "by": user.email });
    if let Err(e) = util::send_audit(&state.config.audit_url, &event) { //~ http_blocking
        tracing::warn!(error = %e, "audit event dropped");
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn export_notes(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let user = auth(&state, &headers)?; //~ lock
    let pool = state.pool.clone();
    let dir = state.config.avatar_dir.clone();
    tokio::task::spawn_blocking(move || -> ApiResult<()> {
        let mut conn = pool.get()?; //~ ok(db)
        let notes = db::list_notes(&mut conn, user.user_id, i64::MAX)?; //~ ok(db)
        for n in notes {
            let name = format!("{}/export-{}-{}.md", dir, n.id, db::note_title_slug(&n.title));
            std::fs::write(name, n.body)?; //~ ok(fs)
        }
        Ok(())
    })
    .await
    .map_err(|_| ApiError::NotFound)??;
    Ok(StatusCode::ACCEPTED)
}

fn client_ip(headers: &HeaderMap) -> std::net::IpAddr {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
}
