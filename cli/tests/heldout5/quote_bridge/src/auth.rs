use std::io::BufRead;

use isahc::{AsyncReadResponseExt, ReadResponseExt};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub token: String,
    pub feed_hosts: Vec<String>,
    #[serde(default)]
    pub prefer_async: bool,
}

pub async fn interactive_login(api: &str) -> anyhow::Result<Session> {
    let user: String = dialoguer::Input::new().with_prompt("Vendor user").interact_text()?; //~ stdio
    let password = rpassword::prompt_password("Vendor password: ")?; //~ stdio
    let remember = dialoguer::Confirm::new().with_prompt("Remember this device?").default(false).interact()?; //~ stdio

    let body = serde_json::json!({ "user": user, "password": password, "remember": remember }).to_string();
    let mut response = isahc::post(format!("{api}/v2/login"), body)?; //~ http_blocking
    let session: Session = response.json()?; //~ http_blocking
    Ok(session)
}

pub async fn login_from_reader(api: &str, mut reader: impl BufRead) -> anyhow::Result<Session> {
    let password = rpassword::read_password_from_bufread(&mut reader)?; //~ ok(stdio)
    let user = std::env::var("VENDOR_USER")?;
    let body = serde_json::json!({ "user": user, "password": password }).to_string();
    let mut response = isahc::post_async(format!("{api}/v2/login"), body).await?; //~ ok(http_blocking)
    let raw = response.text().await?; //~ ok(http_blocking)
    Ok(serde_json::from_str(&raw)?)
}

pub async fn refresh(api: &str, session: &Session) -> anyhow::Result<Session> {
    let mut response = isahc::get(format!("{api}/v2/refresh?token={}", session.token))?; //~ http_blocking
    if response.status().is_success() {
        let raw = response.text()?; //~ http_blocking
        return Ok(serde_json::from_str(&raw)?);
    }
    Ok(session.clone())
}
