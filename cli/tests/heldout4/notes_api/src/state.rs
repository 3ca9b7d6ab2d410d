use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use parking_lot::RwLock;
use r2d2::PooledConnection;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

pub type PgPool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
pub type PgConn = PooledConnection<PostgresConnectionManager<NoTls>>;

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub db_url: String,
    pub pool_size: u32,
    pub banner_path: Option<String>,
    pub audit_url: String,
    pub template_dir: String,
    pub avatar_dir: String,
    pub rate_limit: u32,
}

impl Config {
    pub fn from_env() -> Result<Self, std::env::VarError> {
        Ok(Self {
            listen: std::env::var("NOTES_LISTEN").unwrap_or_else(|_| "0.0.0.0:8080".into()),
            db_url: std::env::var("DATABASE_URL")?,
            pool_size: std::env::var("NOTES_POOL")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(16),
            banner_path: std::env::var("NOTES_BANNER").ok(),
            audit_url: std::env::var("NOTES_AUDIT_URL")
                .unwrap_or_else(|_| "http://audit.internal/events".into()),
            template_dir: std::env::var("NOTES_TEMPLATES").unwrap_or_else(|_| "templates".into()),
            avatar_dir: std::env::var("NOTES_AVATARS").unwrap_or_else(|_| "avatars".into()),
            rate_limit: 30,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: i64,
    pub email: String,
    pub created: Instant,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub sessions: Arc<Mutex<HashMap<String, Session>>>,
    pub rate: Arc<RwLock<HashMap<IpAddr, u32>>>,
    pub webhooks: Arc<tokio::sync::RwLock<Vec<String>>>,
    pub http: reqwest::Client,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(pool: PgPool, config: Arc<Config>) -> Self {
        Self {
            pool,
            sessions: Arc::new(Mutex::new(HashMap::new())),
            rate: Arc::new(RwLock::new(HashMap::new())),
            webhooks: Arc::new(tokio::sync::RwLock::new(Vec::new())),
            http: reqwest::Client::new(),
            config,
        }
    }

    pub fn conn(&self) -> Result<PgConn, r2d2::Error> {
        self.pool.get()
    }

    pub fn session(&self, token: &str) -> Option<Session> {
        self.sessions.lock().unwrap().get(token).cloned()
    }

    pub fn bump_rate(&self, ip: IpAddr) -> u32 {
        let mut rate = self.rate.write();
        let n = rate.entry(ip).or_insert(0);
        *n += 1;
        *n
    }

    pub fn rate_limit(&self) -> u32 {
        self.config.rate_limit
    }
}
