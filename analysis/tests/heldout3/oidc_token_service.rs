//! OIDC token endpoint: exchanges authorization codes for signed ID tokens,
//! rotates refresh tokens, and keeps the upstream JWKS cached.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{encode, EncodingKey, Header};
use parking_lot::{Mutex, RwLock};
use redis::Commands;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    aud: String,
    exp: u64,
}

pub struct Jwks {
    keys: Vec<serde_json::Value>,
    fetched_at: SystemTime,
}

pub struct TokenService {
    signing_key: EncodingKey,
    jwks: RwLock<Option<Jwks>>,
    codes: Mutex<HashMap<String, String>>,
    redis: redis::Client,
    async_redis: redis::aio::MultiplexedConnection,
    http: reqwest::Client,
    issuer: String,
}

impl TokenService {
    pub async fn load(issuer: String, key_path: &str, redis_url: &str) -> anyhow::Result<Self> {
        let pem = std::fs::read(key_path)?; //~ fs
        let redis = redis::Client::open(redis_url)?; //~ ok(db)
        let async_redis = redis.get_multiplexed_async_connection().await?; //~ ok(db)
        Ok(Self {
            signing_key: EncodingKey::from_rsa_pem(&pem)?,
            jwks: RwLock::new(None),
            codes: Mutex::new(HashMap::new()),
            redis,
            async_redis,
            http: reqwest::Client::new(),
            issuer,
        })
    }

    pub async fn exchange_code(&self, code: &str, client_id: &str) -> anyhow::Result<String> {
        let subject = self
            .codes
            .lock() //~ lock
            .remove(code)
            .ok_or_else(|| anyhow::anyhow!("unknown code"))?;
        let exp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() + 3600;
        let claims = Claims { sub: subject, aud: client_id.to_owned(), exp };
        let token = encode(&Header::new(jsonwebtoken::Algorithm::RS256), &claims, &self.signing_key)?;
        Ok(token)
    }

    pub async fn rotate_refresh(&self, old: &str) -> anyhow::Result<String> {
        let mut con = self.redis.get_connection()?; //~ db
        let subject: Option<String> = con.get(format!("rt:{old}"))?; //~ miss(db)
        let subject = subject.ok_or_else(|| anyhow::anyhow!("refresh token revoked"))?;
        let fresh = uuid::Uuid::new_v4().to_string();
        let _: () = con.set_ex(format!("rt:{fresh}"), &subject, 30 * 86400)?; //~ miss(db)
        let _: () = con.del(format!("rt:{old}"))?; //~ miss(db)
        Ok(fresh)
    }

    pub async fn is_revoked(&self, jti: &str) -> anyhow::Result<bool> {
        let mut con = self.async_redis.clone();
        let hit: Option<String> = redis::AsyncCommands::get(&mut con, format!("revoked:{jti}")).await?; //~ ok(db)
        Ok(hit.is_some())
    }

    pub async fn jwks(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        if let Some(cached) = self.jwks.read().as_ref() { //~ lock
            if cached.fetched_at.elapsed()? < Duration::from_secs(300) {
                return Ok(cached.keys.clone());
            }
        }
        let url = format!("{}/.well-known/jwks.json", self.issuer);
        let resp = reqwest::blocking::get(&url)?; //~ http_blocking
        let doc: serde_json::Value = resp.json()?; //~ miss(http_blocking)
        let keys = doc["keys"].as_array().cloned().unwrap_or_default();
        *self.jwks.write() = Some(Jwks { keys: keys.clone(), fetched_at: SystemTime::now() }); //~ lock
        Ok(keys)
    }

    pub async fn jwks_async(&self) -> anyhow::Result<serde_json::Value> {
        let url = format!("{}/.well-known/jwks.json", self.issuer);
        let resp = self.http.get(&url).send().await?; //~ ok(http_blocking)
        Ok(resp.json().await?)
    }

    pub async fn introspect_upstream(&self, token: &str) -> anyhow::Result<bool> {
        let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(5)).build(); //~ ok(http_blocking)
        let resp = agent
            .post(&format!("{}/introspect", self.issuer))
            .send_form(&[("token", token)])?; //~ http_blocking
        let body: serde_json::Value = resp.into_json()?; //~ miss(http_blocking)
        Ok(body["active"].as_bool().unwrap_or(false))
    }
}

pub fn refresh_jwks_in_background(svc: Arc<TokenService>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = svc.jwks().await {
                tracing::warn!(error = %e, "jwks refresh failed");
            }
            tokio::time::sleep(Duration::from_secs(240)).await; //~ ok(sleep)
        }
    });
}

pub fn blocking_jwks(issuer: &str) -> anyhow::Result<serde_json::Value> {
    let client = reqwest::blocking::Client::new(); //~ ok(http_blocking)
    let v = client.get(format!("{issuer}/.well-known/jwks.json")).send()?.json()?; //~ ok(http_blocking)
    Ok(v)
}

pub async fn revoke_all(svc: &TokenService, subjects: &[String]) -> anyhow::Result<()> {
    let issuer = svc.issuer.clone();
    let subjects = subjects.to_vec();
    tokio::task::spawn_blocking(move || {
        let client = reqwest::blocking::Client::new(); //~ ok(http_blocking)
        for s in subjects {
            client.post(format!("{issuer}/revoke")).body(s).send()?; //~ ok(http_blocking)
        }
        Ok::<_, reqwest::Error>(())
    })
    .await??;
    Ok(())
}
