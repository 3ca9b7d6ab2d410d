use std::time::Duration;

use isahc::{AsyncReadResponseExt, ReadResponseExt};

pub fn symbol_directory(api: &str, token: &str) -> Vec<String> {
    let mut easy = curl::easy::Easy::new();
    let mut body = Vec::new();
    if easy.url(&format!("{api}/v2/symbols?token={token}")).is_err() {
        return Vec::new();
    }
    {
        let mut transfer = easy.transfer();
        let _ = transfer.write_function(|chunk| {
            body.extend_from_slice(chunk);
            Ok(chunk.len())
        });
        if transfer.perform().is_err() {
            return Vec::new();
        }
    }
    serde_json::from_slice(&body).unwrap_or_default()
}

pub async fn snapshot(api: &str, token: &str) -> anyhow::Result<Vec<u8>> {
    match snapshot_curl(&format!("{api}/v2/snapshot?token={token}")).await {
        Ok(body) if !body.is_empty() => Ok(body),
        Ok(_) => snapshot_async(&format!("{api}/v2/snapshot?token={token}")).await,
        Err(_) => snapshot_isahc(&format!("{api}/v2/snapshot?token={token}")).await,
    }
}

pub async fn snapshot_curl(url: &str) -> anyhow::Result<Vec<u8>> {
    let mut easy = curl::easy::Easy::new();
    easy.url(url)?;
    easy.timeout(Duration::from_secs(10))?;
    let mut body = Vec::new();
    {
        let mut transfer = easy.transfer();
        transfer.write_function(|chunk| {
            body.extend_from_slice(chunk);
            Ok(chunk.len())
        })?;
        transfer.perform()?; //~ http_blocking
    }
    let code = easy.response_code()?; //~ ok(http_blocking)
    anyhow::ensure!(code == 200, "snapshot returned HTTP {code}");
    Ok(body)
}

pub async fn snapshot_isahc(url: &str) -> anyhow::Result<Vec<u8>> {
    let mut response = isahc::get(url)?; //~ http_blocking
    let bytes = response.bytes()?; //~ http_blocking
    Ok(bytes)
}

pub async fn snapshot_async(url: &str) -> anyhow::Result<Vec<u8>> {
    let mut response = isahc::get_async(url).await?; //~ ok(http_blocking)
    let bytes = response.bytes().await?; //~ ok(http_blocking)
    Ok(bytes)
}

pub async fn heartbeat(url: &str) -> anyhow::Result<bool> {
    let mut easy = curl::easy::Easy::new();
    easy.url(url)?;
    easy.nobody(true)?;
    easy.perform()?; //~ http_blocking
    Ok(easy.response_code()? == 204) //~ ok(http_blocking)
}

pub async fn symbol_directory_offthread(api: String, token: String) -> anyhow::Result<Vec<String>> {
    Ok(tokio::task::spawn_blocking(move || symbol_directory(&api, &token)).await?) //~ ok(http_blocking)
}
