//! Ledger ETL: a nightly job that picks up bank ledger exports (plain or gzipped CSV), normalizes them and stages zstd-compressed JSON lines for the warehouse loader.

mod checkpoint;
mod discover;
mod extract;
mod formats;
mod load;

use std::path::PathBuf;

use anyhow::Context;
use tokio::task::JoinSet;

use crate::discover::{Export, ExportKind};

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> anyhow::Result<()> {
    if std::env::var_os("LEDGER_SELFTEST").is_some() {
        return selftest().await;
    }
    let mut args = std::env::args().skip(1);
    let inbox = PathBuf::from(args.next().unwrap_or_else(|| "/srv/ledger/inbox".into()));
    let staging = PathBuf::from(args.next().unwrap_or_else(|| "/srv/ledger/staging".into()));
    let checkpoint_path = staging.join("checkpoint.json");

    let mut state = checkpoint::load(&checkpoint_path).await?;
    let rates = formats::load_currency_table(&inbox.join("rates.json")) //~ fs
        .context("currency table")?;
    let fallback_rates = checkpoint::load_rates_inline(formats::DEFAULT_RATES).await?;

    let exports = discover::pending_exports(&inbox, &state).await?;
    tracing::info!(count = exports.len(), "exports to process");

    let mut tasks = JoinSet::new();
    for export in exports {
        let staging = staging.clone();
        let rates = if rates.is_empty() {
            fallback_rates.clone()
        } else {
            rates.clone()
        };
        tasks.spawn(async move { process(export, staging, rates).await });
    }

    while let Some(joined) = tasks.join_next().await {
        match joined? {
            Ok((name, count)) => state.mark_done(&name, count),
            Err(err) => tracing::error!(%err, "export failed"),
        }
    }

    checkpoint::save(&checkpoint_path, &state).await?;
    load::archive_day(&staging).await?;
    load::write_summary(&staging.join("summary.txt.gz"), &state.summary()).await?;
    Ok(())
}

async fn selftest() -> anyhow::Result<()> {
    let sample = "account,posted_at,amount_cents,currency,memo\nDE01,2024-03-31,1250,eur, rent \n";
    let rows = extract::read_inline(sample).await?;
    let uploaded = extract::read_uploaded(bytes::Bytes::from_static(sample.as_bytes())).await?;
    anyhow::ensure!(rows.len() == uploaded.len(), "inline and uploaded parsers disagree");

    let mut jsonl = Vec::new();
    formats::write_jsonl(&mut jsonl, &rows)?; //~ ok(fs)
    let blob = zstd::bulk::compress(&jsonl, 3)?; //~ ok(fs)
    anyhow::ensure!(load::verify_blob(&blob).await? == rows.len(), "zstd round trip failed");

    let rates = checkpoint::load_rates_bytes(formats::DEFAULT_RATES.as_bytes()).await?;
    let on_disk = checkpoint::load_rates(std::path::Path::new("/srv/ledger/inbox/rates.json")).await?;
    tracing::info!(builtin = rates.len(), on_disk = on_disk.len(), "selftest passed");
    Ok(())
}

async fn process(
    export: Export,
    staging: PathBuf,
    rates: std::collections::HashMap<String, f64>,
) -> anyhow::Result<(String, usize)> {
    let rows = match export.kind {
        ExportKind::Csv => extract::read_plain(&export.path).await?,
        ExportKind::Gzip => extract::read_gzip(&export.path).await?,
        ExportKind::Large => extract::read_streaming(&export.path).await?,
        ExportKind::Legacy => extract::read_with_helper(&export.path).await?,
    };
    let rows = formats::normalize(rows, &rates);
    let staged = if rows.len() > 50_000 {
        load::stage_rows_direct(&staging, &export.name, &rows).await?
    } else {
        load::stage_rows(&staging, &export.name, &rows).await?
    };
    let lines = load::verify_stage(&staged).await?;
    anyhow::ensure!(lines >= rows.len(), "staged file truncated: {}", staged.display());
    Ok((export.name, rows.len()))
}
