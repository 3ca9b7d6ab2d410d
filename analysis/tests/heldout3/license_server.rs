//! License-key verification service: checks Ed25519-signed keys, binds them
//! to a machine fingerprint, and records activations in SQLite.

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::{extract::State, Json};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

#[derive(Deserialize)]
pub struct ActivateReq {
    key: String,
    fingerprint: String,
}

#[derive(Serialize)]
pub struct ActivateResp {
    ok: bool,
    seats_left: u32,
}

pub struct AppState {
    verifying: VerifyingKey,
    pool: Pool,
    audit: Mutex<Connection>,
    revoked: Mutex<HashMap<String, String>>,
    async_pool: deadpool_sqlite::Pool,
}

fn decode_key(key: &str) -> Option<(Vec<u8>, Signature)> {
    let (payload, sig) = key.split_once('.')?;
    let payload = base64::decode(payload).ok()?;
    let sig = Signature::from_slice(&base64::decode(sig).ok()?).ok()?;
    Some((payload, sig))
}

pub async fn open_state(db_path: &str, pubkey_path: &str) -> anyhow::Result<AppState> {
    let raw = std::fs::read(pubkey_path)?; //~ fs
    let verifying = VerifyingKey::from_bytes(raw[..32].try_into()?)?;
    let audit = Connection::open(db_path)?; //~ db
    audit.execute_batch("CREATE TABLE IF NOT EXISTS audit (at TEXT, what TEXT)")?; //~ db
    let pool = r2d2::Pool::new(SqliteConnectionManager::file(db_path))?; //~ miss(db)
    let async_pool = deadpool_sqlite::Config::new(db_path).create_pool(deadpool_sqlite::Runtime::Tokio1)?;
    Ok(AppState { verifying, pool, audit: Mutex::new(audit), revoked: Mutex::new(HashMap::new()), async_pool })
}

pub async fn activate(State(st): State<Arc<AppState>>, Json(req): Json<ActivateReq>) -> Json<ActivateResp> {
    let denied = Json(ActivateResp { ok: false, seats_left: 0 });
    let Some((payload, sig)) = decode_key(&req.key) else { return denied };
    if st.verifying.verify(&payload, &sig).is_err() {
        return denied;
    }
    if st.revoked.lock().unwrap().contains_key(&req.key) { //~ lock
        return denied;
    }
    let conn = match st.pool.get() { //~ db
        Ok(c) => c,
        Err(_) => return denied,
    };
    let used: u32 = conn
        .query_row("SELECT count(*) FROM activations WHERE key = ?1", params![req.key], |r| r.get(0)) //~ miss(db)
        .unwrap_or(u32::MAX);
    let seats: u32 = payload.first().copied().unwrap_or(1).into();
    if used >= seats {
        return denied;
    }
    conn.execute( //~ miss(db)
        "INSERT INTO activations (key, fingerprint) VALUES (?1, ?2)",
        params![req.key, req.fingerprint],
    )
    .ok();
    st.audit
        .lock() //~ lock
        .unwrap()
        .execute("INSERT INTO audit VALUES (datetime('now'), ?1)", [&req.key]) //~ db
        .ok();
    Json(ActivateResp { ok: true, seats_left: seats - used - 1 })
}

pub async fn seats_used(st: &AppState, key: String) -> anyhow::Result<u32> {
    let conn = st.async_pool.get().await?; //~ ok(db)
    let n = conn
        .interact(move |c| c.query_row("SELECT count(*) FROM activations WHERE key = ?1", [key], |r| r.get(0))) //~ ok(db)
        .await??;
    Ok(n)
}

pub async fn local_fingerprint() -> anyhow::Result<String> {
    let out = Command::new("cat").arg("/etc/machine-id").output()?; //~ process
    let board = tokio::process::Command::new("dmidecode").args(["-s", "baseboard-serial-number"]).output().await?; //~ ok(process)
    Ok(format!("{}:{}", String::from_utf8_lossy(&out.stdout).trim(), String::from_utf8_lossy(&board.stdout).trim()))
}

pub async fn revoke(st: &AppState, key: &str, reason: &str) -> anyhow::Result<bool> {
    let prev = st.revoked.lock().unwrap().insert(key.to_owned(), reason.to_owned()); //~ lock
    let conn = st.pool.get()?; //~ db
    let existing: Option<String> = conn
        .query_row("SELECT reason FROM revocations WHERE key = ?1", [key], |r| r.get(0)) //~ miss(db)
        .optional()?;
    Ok(prev.is_none() && existing.is_none())
}

pub fn nightly_vacuum(pool: Pool) {
    tokio::task::spawn_blocking(move || {
        let conn = pool.get().expect("pool"); //~ ok(db)
        conn.execute_batch("VACUUM").expect("vacuum"); //~ ok(db)
    });
}

pub fn validate_offline(key: &str, verifying: &VerifyingKey) -> bool {
    let cache = HashMap::<String, bool>::new();
    if let Some(hit) = cache.get(key) { //~ ok(db)
        return *hit;
    }
    let conn = Connection::open_in_memory().unwrap(); //~ ok(db)
    conn.execute("SELECT 1", []).is_ok() && decode_key(key).map_or(false, |(p, s)| verifying.verify(&p, &s).is_ok()) //~ ok(db)
}

pub async fn report(st: Arc<AppState>) -> anyhow::Result<String> {
    let summary = tokio::spawn(async move {
        let conn = st.pool.get()?; //~ db
        let total: i64 = conn.query_row("SELECT count(*) FROM activations", [], |r| r.get(0))?; //~ miss(db)
        Ok::<_, anyhow::Error>(format!("{total} activations"))
    })
    .await??;
    Ok(summary)
}
