//! The mail provider's REST API (`POST {base}/v3/messages`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct OutgoingMail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
pub struct Accepted {
    pub id: String,
}

#[derive(Clone)]
pub struct ApiMailer {
    pub base: String,
    pub token: String,
}

impl ApiMailer {
    pub fn new(base: &str, token: &str) -> Self {
        ApiMailer { base: base.trim_end_matches('/').to_string(), token: token.to_string() }
    }

    pub fn messages_url(&self) -> String {
        format!("{}/v3/messages", self.base)
    }

    /// Sends one message; returns the provider's message id.
    pub fn send_blocking(&self, mail: &OutgoingMail) -> attohttpc::Result<String> {
        let resp = attohttpc::post(self.messages_url())
            .bearer_auth(self.token.clone())
            .timeout(Duration::from_secs(20))
            .json(mail)?
            .send()?;
        Ok(resp.error_for_status()?.json::<Accepted>()?.id)
    }
}
