use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use tokio::io::AsyncWriteExt;

use crate::config::Targets;
use crate::probes::{fetch_body, Status};
use crate::StateMap;

fn render(changes: &[(String, Status)]) -> String {
    changes
        .iter()
        .map(|(name, status)| match status {
            Status::Up { millis } => format!("{name} UP {millis}ms"),
            Status::Down(why) => format!("{name} DOWN {why}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn post_async(url: &str, body: &str) -> anyhow::Result<()> {
    let rest = url.strip_prefix("http://").ok_or_else(|| anyhow::anyhow!("only http://"))?;
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let mut stream = tokio::net::TcpStream::connect(hostport).await?; //~ ok(net)
    let req = format!(
        "POST /{path} HTTP/1.0\r\nHost: {hostport}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await?; //~ ok(net)
    Ok(())
}

pub async fn run(state: StateMap, targets: Targets) -> anyhow::Result<()> {
    let mut last: HashMap<String, Status> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open("netwatch.log")?; //~ fs

    if let Some(hook) = &targets.hook {
        // The hook service publishes its own health text; log it once.
        match fetch_body(&format!("{hook}/health")) { //~ http_blocking
            Ok(text) => tracing::info!(%text, "hook health"),
            Err(e) => tracing::warn!(error = %e, "hook not healthy"),
        }
    }

    loop {
        tick.tick().await;
        let snapshot = state.read().await.clone(); //~ ok(lock)
        let changes: Vec<(String, Status)> = snapshot
            .iter()
            .filter(|(k, v)| last.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (name, status) in &changes {
            writeln!(log, "{name} {status:?}")?; //~ fs
        }
        if let (Some(hook), false) = (&targets.hook, changes.is_empty()) {
            let body = render(&changes);
            let req = minreq::post(hook.as_str()).with_body(body.clone()).with_timeout(5); //~ ok(http_blocking)
            if let Err(e) = req.send() { //~ http_blocking
                tracing::warn!(error = %e, "webhook failed, retrying async");
                let policy = ExponentialBuilder::default().with_max_times(3);
                (|| async { post_async(hook, &body).await }).retry(policy).await?; //~ ok(sleep)
            }
        }
        last = snapshot;
    }
}

pub async fn write_final(state: &StateMap, path: &Path) -> anyhow::Result<()> {
    let snap = state.read().await; //~ ok(lock)
    let mut out = String::new();
    for (k, v) in snap.iter() {
        out.push_str(&format!("{k}\t{v:?}\n"));
    }
    let mut f = tokio::fs::File::create(path).await?; //~ ok(fs)
    f.write_all(out.as_bytes()).await?; //~ ok(fs)
    f.flush().await?; //~ ok(fs)
    Ok(())
}
