//! Lambda that builds thumbnails: fetch the original from S3, resize with the
//! `image` crate, write the variants to /tmp, upload them back.

use aws_sdk_s3::{primitives::ByteStream, Client};
use image::{imageops::FilterType, DynamicImage, ImageFormat};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Request {
    bucket: String,
    key: String,
    sizes: Vec<u32>,
}

/// Runs CPU-heavy or blocking work off the runtime.
fn offload<F, R>(f: F) -> tokio::task::JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    tokio::task::spawn_blocking(f)
}

fn tmp_path(key: &str, size: u32) -> PathBuf {
    let stem = Path::new(key).file_stem().unwrap().to_string_lossy().into_owned();
    Path::new("/tmp").join(format!("{stem}_{size}.jpg")) //~ ok(thread_join)
}

async fn handler(client: &Client, event: LambdaEvent<Request>) -> Result<Vec<String>, Error> {
    let req = event.payload;
    let obj = client.get_object().bucket(&req.bucket).key(&req.key).send().await?; //~ ok(http_blocking)
    let bytes = obj.body.collect().await?.into_bytes();
    let original = image::load_from_memory(&bytes)?; //~ ok(fs)

    let watermark = image::open("/opt/assets/watermark.png")?; //~ fs
    let mut keys = Vec::new();
    for size in &req.sizes {
        let thumb = original.resize(*size, *size, FilterType::Lanczos3);
        let out = tmp_path(&req.key, *size);
        let stamped = overlay(thumb, &watermark);
        stamped.save(&out)?; //~ fs
        let body = ByteStream::from_path(&out).await?; //~ ok(fs)
        let key = format!("thumbs/{size}/{}", req.key);
        client.put_object().bucket(&req.bucket).key(&key).body(body).send().await?; //~ ok(http_blocking)
        keys.push(key);
    }

    // The preview is encoded on the blocking pool through our own wrapper.
    let preview = original.clone();
    offload(move || preview.save_with_format("/tmp/preview.webp", ImageFormat::WebP)) //~ ok(fs)
        .await??;
    let backoff = async |attempt: u64| {
        std::thread::sleep(std::time::Duration::from_millis(100 * attempt)); //~ sleep
    };
    backoff(1).await;
    let webhook = std::env::var("WEBHOOK").ok();
    if let Some(url) = webhook {
        let _ = reqwest::blocking::get(&url); //~ http_blocking
    }

    let cleanup: Vec<_> = req.sizes.iter().map(|s| std::fs::remove_file(tmp_path(&req.key, *s))).collect(); //~ fs
    tracing::info!(removed = cleanup.iter().filter(|r| r.is_ok()).count());
    Ok(keys)
}

fn overlay(mut base: DynamicImage, mark: &DynamicImage) -> DynamicImage {
    image::imageops::overlay(&mut base, mark, 8, 8);
    base
}

fn warm_cache() -> std::io::Result<()> {
    let img = image::open("/opt/assets/watermark.png").map_err(std::io::Error::other)?; //~ ok(fs)
    img.save("/tmp/watermark.png").map_err(std::io::Error::other) //~ ok(fs)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt().json().init();
    if !Path::new("/tmp/watermark.png").exists() { //~ fs
        warm_cache()?;
    }
    let config = aws_config::load_from_env().await;
    let client = Client::new(&config);
    let tmp_ok = tokio::fs::try_exists("/tmp").await.unwrap_or(false); //~ ok(fs)
    assert!(tmp_ok, "no /tmp");
    lambda_runtime::run(service_fn(|event: LambdaEvent<Request>| {
        let client = client.clone();
        async move { handler(&client, event).await }
    }))
    .await
}
