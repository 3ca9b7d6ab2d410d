use std::io::Read;
use std::time::Duration;

use oxhttp::model::{Method, Request, Url};
use oxhttp::Client;

pub struct RateClient {
    client: Client,
    base: String,
}

impl RateClient {
    pub fn new(base: &str) -> Self {
        let client = Client::new().with_global_timeout(Duration::from_secs(5));
        Self { client, base: base.to_string() }
    }

    /// Units of EUR per unit of `currency`.
    pub fn rate(&self, currency: &str) -> Result<f64, Box<dyn std::error::Error + Send + Sync>> {
        if currency == "EUR" {
            return Ok(1.0);
        }
        let url = Url::parse(&format!("{}?base={currency}&symbols=EUR", self.base))?;
        let response = self.client.request(Request::builder(Method::GET, url).build())?;
        let mut body = String::new();
        response.into_body().read_to_string(&mut body)?;
        let v: serde_json::Value = serde_json::from_str(&body)?;
        Ok(v["rates"]["EUR"].as_f64().unwrap_or(1.0))
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

pub async fn refresh_all(rc: &RateClient, currencies: &[&str]) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for c in currencies {
        let url = Url::parse(&format!("http://fx.example.net/latest?base={c}")).unwrap(); //~ ok(http_blocking)
        let req = Request::builder(Method::GET, url).build(); //~ ok(http_blocking)
        match rc.client().request(req) { //~ http_blocking
            Ok(resp) => {
                let mut s = String::new();
                let _ = resp.into_body().read_to_string(&mut s); //~ net
                out.push((c.to_string(), s.len() as f64));
            }
            Err(e) => tracing::warn!("fx fetch failed: {e}"),
        }
    }
    let direct = Client::new() //~ http_blocking
        .request(Request::builder(Method::GET, Url::parse("http://fx.example.net/status").unwrap()).build());
    tracing::debug!(status_ok = direct.is_ok());
    let eur = rc.rate("USD"); //~ http_blocking
    tracing::debug!(?eur);
    out
}
