use std::time::Duration;

use parking_lot::Mutex;
use redis::{AsyncCommands, Commands, RedisResult};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Email,
    Thumbnail,
    Report,
}

impl JobKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            JobKind::Email => "email",
            JobKind::Thumbnail => "thumbnail",
            JobKind::Report => "report",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobEnvelope {
    pub id: uuid::Uuid,
    pub kind: JobKind,
    pub payload: serde_json::Value,
    #[serde(default)]
    pub attempts: u32,
}

impl JobEnvelope {
    pub fn new(kind: JobKind, payload: serde_json::Value) -> Self {
        Self {
            id: uuid::Uuid::new_v4(),
            kind,
            payload,
            attempts: 0,
        }
    }

    pub fn retry(&self) -> Self {
        Self {
            attempts: self.attempts + 1,
            ..self.clone()
        }
    }

    pub fn decode(raw: &str) -> Option<Self> {
        serde_json::from_str(raw).ok()
    }
}

pub struct Queue {
    client: redis::Client,
    conn: Mutex<redis::Connection>,
    name: String,
}

impl Queue {
    pub fn connect(url: &str, name: &str) -> RedisResult<Self> {
        let client = redis::Client::open(url)?;
        let conn = client.get_connection()?;
        Ok(Self {
            client,
            conn: Mutex::new(conn),
            name: name.to_owned(),
        })
    }

    pub fn pop(&self, timeout: Duration) -> RedisResult<Option<JobEnvelope>> {
        let mut conn = self.conn.lock();
        let hit: Option<(String, String)> = redis::cmd("BRPOP")
            .arg(&self.name)
            .arg(timeout.as_secs().max(1))
            .query(&mut *conn)?;
        Ok(hit.and_then(|(_, raw)| JobEnvelope::decode(&raw)))
    }

    pub fn push(&self, env: &JobEnvelope) -> RedisResult<()> {
        let raw = serde_json::to_string(env).expect("envelope serializes");
        self.conn.lock().lpush(&self.name, raw)
    }

    pub async fn push_async(&self, env: &JobEnvelope) -> RedisResult<()> {
        let raw = serde_json::to_string(env).expect("envelope serializes");
        let mut con = self.client.get_multiplexed_async_connection().await?; //~ ok(db)
        con.lpush(&self.name, raw).await //~ ok(db)
    }

    pub fn dead_letter(&self, env: &JobEnvelope, error: &str) -> RedisResult<()> {
        let mut record = serde_json::to_value(env).expect("envelope serializes");
        record["error"] = error.into();
        self.conn
            .lock()
            .lpush(format!("{}:dead", self.name), record.to_string())
    }

    pub fn len(&self) -> RedisResult<u64> {
        self.conn.lock().llen(&self.name)
    }

    pub fn set_progress(&self, id: &uuid::Uuid, percent: u8) -> RedisResult<()> {
        self.conn
            .lock()
            .hset(format!("{}:progress", self.name), id.to_string(), percent)
    }

    pub fn is_suppressed(&self, email: &str) -> RedisResult<bool> {
        self.conn.lock().sismember("email:suppressed", email.to_lowercase())
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}
