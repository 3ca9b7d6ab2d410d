//! Payment provider webhooks: verify the signature, record the event in an
//! append-only audit file, notify the ledger worker, and confirm the charge
//! with the provider's API.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Sender, SyncSender};
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::{mpsc, oneshot, Mutex as AsyncMutex};

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub amount_cents: i64,
}

pub struct WebhookState {
    secret: Vec<u8>,
    audit_dir: PathBuf,
    audit: AsyncMutex<tokio::fs::File>,
    ledger: SyncSender<Event>,
    metrics: Sender<&'static str>,
    alerts: mpsc::UnboundedSender<String>,
    http: reqwest::Client,
}

fn verify(secret: &[u8], body: &[u8], sig: &str) -> bool {
    let mut mac = HmacSha256::new_from_slice(secret).expect("key");
    mac.update(body);
    let expected = hex::encode(mac.finalize().into_bytes());
    expected == sig
}

pub async fn handle(state: Arc<WebhookState>, body: bytes::Bytes, sig: String) -> Result<u16, anyhow::Error> {
    if !verify(&state.secret, &body, &sig) {
        state.metrics.send("bad_signature").ok(); //~ ok(channel)
        return Ok(401);
    }
    let event: Event = serde_json::from_slice(&body)?;
    let day_dir = state.audit_dir.join(chrono::Utc::now().format("%Y-%m-%d").to_string());
    if !day_dir.exists() { //~ fs
        fs::create_dir_all(&day_dir)?; //~ fs
    }
    let path = day_dir.join(format!("{}.json", event.id));
    let mut f = File::create(&path)?; //~ fs
    f.write_all(&body)?; //~ fs
    f.flush()?; //~ ok(fs)

    {
        use tokio::io::AsyncWriteExt;
        let mut log = state.audit.lock().await; //~ ok(lock)
        log.write_all(event.id.as_bytes()).await?; //~ ok(fs)
    }

    state.ledger.send(event.clone())?; //~ channel
    state.alerts.send(format!("{} {}", event.kind, event.amount_cents)).ok(); //~ ok(channel)

    if event.kind == "charge.succeeded" {
        confirm(&state, &event).await?;
    }
    Ok(200)
}

async fn confirm(state: &WebhookState, event: &Event) -> anyhow::Result<()> {
    let url = format!("https://api.pay.example/v1/charges/{}/confirm", event.id);
    let resp = state.http.post(&url).send().await?; //~ ok(http_blocking)
    if !resp.status().is_success() { //~ ok(process)
        let fallback = reqwest::blocking::Client::new(); //~ http_blocking
        fallback.post(&url).send()?; //~ http_blocking
    }
    Ok(())
}

/// Replays the audit trail of one day; run from the admin CLI, never from a handler.
pub fn replay_day(dir: &Path, ledger: &SyncSender<Event>) -> std::io::Result<usize> {
    let mut n = 0;
    for entry in fs::read_dir(dir)? { //~ ok(fs)
        let raw = fs::read(entry?.path())?; //~ ok(fs)
        if let Ok(ev) = serde_json::from_slice::<Event>(&raw) {
            ledger.send(ev).ok(); //~ ok(channel)
            n += 1;
        }
    }
    Ok(n)
}

pub async fn replay_endpoint(dir: PathBuf, ledger: SyncSender<Event>) -> usize {
    let (tx, rx) = oneshot::channel();
    std::thread::spawn(move || {
        let n = replay_day(&dir, &ledger).unwrap_or(0);
        let _ = tx.send(n); //~ ok(channel)
    });
    rx.await.unwrap_or(0) //~ ok(channel)
}

pub async fn rotate_audit(state: Arc<WebhookState>) -> std::io::Result<()> {
    let current = state.audit_dir.join("current.log");
    let archived = state.audit_dir.join("archive.log");
    let size = tokio::fs::metadata(&current).await?.len(); //~ ok(fs)
    if size > 64 << 20 {
        std::fs::rename(&current, &archived)?; //~ fs
        let fresh = OpenOptions::new().create(true).append(true).open(&current)?; //~ fs
        *state.audit.lock().await = tokio::fs::File::from_std(fresh); //~ ok(lock)
    }
    Ok(())
}

pub fn spawn_ledger(db: Arc<std::sync::Mutex<Vec<Event>>>) -> SyncSender<Event> {
    let (tx, rx) = sync_channel::<Event>(128);
    std::thread::spawn(move || {
        while let Ok(ev) = rx.recv() { //~ ok(channel)
            db.lock().unwrap().push(ev); //~ ok(lock)
        }
    });
    tx
}

pub async fn drain_for_shutdown(db: Arc<std::sync::Mutex<Vec<Event>>>) -> Vec<Event> {
    tokio::time::sleep(std::time::Duration::from_millis(50)).await; //~ ok(sleep)
    let mut guard = db.lock().unwrap(); //~ lock
    std::mem::take(&mut *guard)
}
