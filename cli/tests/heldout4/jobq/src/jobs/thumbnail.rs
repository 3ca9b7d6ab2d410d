use std::process::Command;

use super::*;

#[derive(Debug, Deserialize)]
struct ThumbPayload {
    source: String,
    width: u32,
    height: u32,
}

fn upload(http: &BlockingClient, url: &str, file: &std::path::Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(file)?;
    let resp = http.put(url).body(bytes).send()?.error_for_status()?;
    Ok(resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(url)
        .to_owned())
}

pub(super) async fn make_thumbnail(ctx: &Ctx, env: JobEnvelope) -> anyhow::Result<()> {
    let p: ThumbPayload = payload(&env)?;
    let input = ctx.scratch.join(format!("{}.src", env.id));
    let output = ctx.scratch.join(format!("{}.png", env.id));

    let bytes = ctx
        .async_http
        .get(&p.source)
        .send() //~ ok(http_blocking)
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    tokio::fs::write(&input, &bytes).await?; //~ ok(fs)
    ctx.queue.set_progress(&env.id, 30)?; //~ miss(db), fp(lock)

    let status = Command::new("convert")
        .arg(&input)
        .arg("-thumbnail")
        .arg(format!("{}x{}", p.width, p.height))
        .arg(&output)
        .status()?; //~ process
    if !status.success() {
        anyhow::bail!("convert exited with {status}");
    }
    let optimized = tokio::process::Command::new("optipng")
        .arg("-quiet")
        .arg(&output)
        .status() //~ ok(process)
        .await
        .map(|s| s.success())
        .unwrap_or(false);
    let size = std::fs::metadata(&output)?.len(); //~ fs
    ctx.queue.set_progress(&env.id, 80)?; //~ miss(db), fp(lock)

    let url = format!("{}/{}.png", ctx.upload_url, env.id);
    let location = crate::retrying(3, || upload(&ctx.http, &url, &output))?; //~ http_blocking, fp(sleep)
    tracing::info!(%location, size, optimized, "thumbnail uploaded");
    tokio::fs::remove_file(&input).await.ok(); //~ ok(fs)
    Ok(())
}
