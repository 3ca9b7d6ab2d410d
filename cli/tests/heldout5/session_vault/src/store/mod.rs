mod sled_store;

pub use sled_store::SledStore;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub user_id: u64,
    pub created_at: i64,
    pub expires_at: i64,
    pub scopes: Vec<String>,
}

pub trait SessionStore: Send + Sync {
    fn load(&self, id: &str) -> anyhow::Result<Option<Session>>;
    fn save(&self, session: &Session) -> anyhow::Result<()>;
    fn revoke(&self, id: &str) -> anyhow::Result<bool>;
    fn sessions_for_user(&self, user_id: u64) -> anyhow::Result<Vec<Session>>;
    fn persist(&self) -> anyhow::Result<usize>;
}

pub fn session_key(id: &str) -> Vec<u8> {
    format!("s:{id}").into_bytes()
}

pub fn user_key(user_id: u64, id: &str) -> Vec<u8> {
    let mut key = user_id.to_be_bytes().to_vec();
    key.extend_from_slice(id.as_bytes());
    key
}

pub fn encode(session: &Session) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec(session)?)
}

pub fn decode(bytes: &[u8]) -> anyhow::Result<Session> {
    Ok(serde_json::from_slice(bytes)?)
}
