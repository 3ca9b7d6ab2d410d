use reqwest::multipart::{Form, Part};
use reqwest::Client;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct ApiResponse<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Chat {
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    pub message_id: i64,
    pub chat: Chat,
    pub from: Option<User>,
    pub text: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Update {
    pub update_id: i64,
    pub message: Option<Message>,
}

pub struct TelegramApi {
    http: Client,
    base: String,
}

impl TelegramApi {
    pub fn new(token: &str) -> Self {
        Self {
            http: Client::new(),
            base: format!("https://api.telegram.org/bot{token}"),
        }
    }

    pub async fn get_updates(&self, offset: i64) -> anyhow::Result<Vec<Update>> {
        let resp: ApiResponse<Vec<Update>> = self
            .http
            .get(format!("{}/getUpdates", self.base))
            .query(&[("offset", offset), ("timeout", 25)])
            .send() //~ ok(http_blocking)
            .await?
            .json()
            .await?;
        if !resp.ok {
            anyhow::bail!("telegram: {}", resp.description.unwrap_or_default());
        }
        Ok(resp.result.unwrap_or_default())
    }

    pub async fn send(&self, chat_id: i64, text: &str) -> anyhow::Result<()> {
        self.http
            .post(format!("{}/sendMessage", self.base))
            .json(&serde_json::json!({ "chat_id": chat_id, "text": text }))
            .send() //~ ok(http_blocking)
            .await?
            .error_for_status()?;
        Ok(())
    }

    pub async fn send_photo(&self, chat_id: i64, png: Vec<u8>) -> anyhow::Result<()> {
        let form = Form::new()
            .text("chat_id", chat_id.to_string())
            .part("photo", Part::bytes(png).file_name("render.png"));
        self.http
            .post(format!("{}/sendPhoto", self.base))
            .multipart(form)
            .send() //~ ok(http_blocking)
            .await?
            .error_for_status()?;
        Ok(())
    }
}
