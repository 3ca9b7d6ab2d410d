use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::db::{Account, AuditLog, Journal, Ledger, MemoryJournal, TransferError};

#[derive(Clone)]
pub struct AppState {
    pub ledger: Arc<Ledger>,
    pub journal: Arc<dyn Journal>,
}

pub struct ApiError(anyhow::Error);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self.0.downcast_ref::<TransferError>() {
            Some(TransferError::Insufficient) => StatusCode::CONFLICT,
            Some(TransferError::Unknown(_)) => StatusCode::NOT_FOUND,
            None => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.0.to_string()).into_response()
    }
}

impl<E: Into<anyhow::Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

type R<T> = Result<T, ApiError>;

#[derive(Deserialize)]
pub struct NewAccount {
    id: String,
    owner: String,
    opening: Option<i64>,
}

#[derive(Deserialize)]
pub struct TransferReq {
    src: String,
    dst: String,
    amount: i64,
    #[serde(default)]
    dry_run: bool,
}

#[derive(Serialize)]
pub struct TransferResp {
    remaining: i64,
    dry_run: bool,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/accounts", get(list).post(create))
        .route("/accounts/:id", get(show))
        .route("/accounts/:id/deposit/:amount", post(deposit))
        .route("/transfers", post(transfer))
        .route("/transfers/offloaded", post(transfer_offloaded))
        .route("/audit", get(audit))
        .route("/total", get(total))
        .route("/accounts/:id/statement", get(statement))
        .with_state(state)
}

async fn list(State(st): State<AppState>) -> R<Json<Vec<Account>>> {
    Ok(Json(st.ledger.list()?)) //~ db
}

async fn create(State(st): State<AppState>, Json(req): Json<NewAccount>) -> R<StatusCode> {
    st.ledger.create_account(&req.id, &req.owner)?; //~ db
    if let Some(amount) = req.opening {
        st.ledger.deposit(&req.id, amount)?; //~ db
    }
    st.journal.record("open", &req.id)?; //~ db
    Ok(StatusCode::CREATED)
}

async fn show(State(st): State<AppState>, Path(id): Path<String>) -> R<Response> {
    match st.ledger.account(&id)? { //~ db
        Some(a) => Ok(Json(a).into_response()),
        None => Ok(StatusCode::NOT_FOUND.into_response()),
    }
}

async fn deposit(State(st): State<AppState>, Path((id, amount)): Path<(String, i64)>) -> R<StatusCode> {
    let ledger = st.ledger.clone();
    let id2 = id.clone();
    tokio::task::spawn_blocking(move || ledger.deposit(&id2, amount)).await??; //~ ok(db)
    let journal = st.journal.clone();
    tokio::task::spawn_blocking(move || journal.record("deposit", &format!("{id} {amount}"))).await??; //~ ok(db)
    Ok(StatusCode::NO_CONTENT)
}

async fn transfer(State(st): State<AppState>, Json(req): Json<TransferReq>) -> R<Json<TransferResp>> {
    if req.dry_run {
        // Replay against a scratch ledger + scratch journal; nothing hits disk.
        let scratch = Ledger::in_memory()?; //~ ok(db)
        scratch.migrate()?; //~ ok(db)
        let src = st.ledger.account(&req.src)?.ok_or_else(|| TransferError::Unknown(req.src.clone()))?; //~ db
        scratch.create_account(&src.id, &src.owner)?; //~ ok(db)
        scratch.deposit(&src.id, src.balance)?; //~ ok(db)
        scratch.create_account(&req.dst, "dry-run")?; //~ ok(db)
        let remaining = scratch.transfer(&req.src, &req.dst, req.amount)?; //~ ok(db)
        let journal: Box<dyn Journal> = Box::new(MemoryJournal::default());
        journal.record("dry-run", &req.src)?; //~ ok(lock)
        let audit = AuditLog::scratch()?; //~ ok(db)
        audit.record("dry-run", &req.src)?; //~ ok(db)
        return Ok(Json(TransferResp { remaining, dry_run: true }));
    }
    let remaining = st.ledger.transfer(&req.src, &req.dst, req.amount)?; //~ db
    st.journal.record("transfer", &format!("{} {} {}", req.src, req.dst, req.amount))?; //~ db
    Ok(Json(TransferResp { remaining, dry_run: false }))
}

async fn transfer_offloaded(State(st): State<AppState>, Json(req): Json<TransferReq>) -> R<Json<TransferResp>> {
    let (ledger, journal) = (st.ledger.clone(), st.journal.clone());
    let remaining = tokio::task::spawn_blocking(move || -> anyhow::Result<i64> { //~ ok(db)
        let r = ledger.transfer(&req.src, &req.dst, req.amount)?;
        journal.record("transfer", &format!("{} {} {}", req.src, req.dst, req.amount))?;
        Ok(r)
    })
    .await??;
    Ok(Json(TransferResp { remaining, dry_run: false }))
}

async fn audit(State(st): State<AppState>) -> R<Json<Vec<String>>> {
    Ok(Json(st.journal.recent(50)?)) //~ db
}

async fn total(State(st): State<AppState>) -> R<String> {
    let t = st.ledger.total_balance()?; //~ db
    Ok(t.to_string())
}

async fn statement(State(st): State<AppState>, Path(id): Path<String>) -> R<String> {
    let account = st.ledger.account(&id)?.ok_or_else(|| TransferError::Unknown(id.clone()))?; //~ db
    let recent = st.journal.recent(200)?; //~ db
    let mine: Vec<&String> = recent.iter().filter(|l| l.contains(&id)).collect();
    st.journal.record("statement", &id)?; //~ db
    let all = st.ledger.list()?; //~ db
    Ok(format!("{} {} balance={} entries={} of {} accounts", account.id, account.owner, account.balance, mine.len(), all.len()))
}
