use std::time::Duration;

use reqwest::StatusCode;

use super::*;

pub struct Uploader {
    http: reqwest::blocking::Client,
    endpoint: String,
    token: String,
}

impl Uploader {
    pub fn new(endpoint: &str, token: &str) -> reqwest::Result<Self> {
        Ok(Self {
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(300))
                .build()?,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    pub fn exists_remote(&self, digest: &str) -> reqwest::Result<bool> {
        let resp = self
            .http
            .head(format!("{}/blobs/{digest}", self.endpoint))
            .bearer_auth(&self.token)
            .send()?;
        Ok(resp.status() == StatusCode::OK)
    }

    pub fn put(&self, rel: &str, digest: &str, path: &Path) -> anyhow::Result<()> {
        let file = File::open(path)?;
        self.http
            .put(format!("{}/blobs/{digest}", self.endpoint))
            .bearer_auth(&self.token)
            .header("x-sync-path", rel)
            .body(file)
            .send()?
            .error_for_status()?;
        Ok(())
    }
}

pub struct AsyncUploader {
    http: reqwest::Client,
    endpoint: String,
    token: String,
}

impl AsyncUploader {
    pub fn new(endpoint: &str, token: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        }
    }

    pub async fn put(&self, rel: &str, digest: &str, path: &Path) -> anyhow::Result<()> {
        let mut buf = Vec::new();
        File::open(path)?.read_to_end(&mut buf)?; //~ fs, fs
        self.http
            .put(format!("{}/blobs/{digest}", self.endpoint))
            .bearer_auth(&self.token)
            .header("x-sync-path", rel)
            .body(buf)
            .send() //~ ok(http_blocking)
            .await?
            .error_for_status()?;
        Ok(())
    }
}
