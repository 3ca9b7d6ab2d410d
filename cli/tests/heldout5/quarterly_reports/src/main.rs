//! Quarterly reports: a scheduler that turns the finance team's XLSX workbooks into KPI CSV extracts and stamped PDF reports in a shared outbox.

mod pdf;
mod publish;
mod settings;
mod sheets;

use std::path::Path;
use std::time::Duration;

use crate::settings::Settings;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let settings = match settings::load().await {
        Ok(settings) => settings,
        Err(err) => {
            tracing::warn!(%err, "falling back to built-in defaults");
            settings::load_embedded(settings::DEFAULTS).await?
        }
    };
    if let Ok(blob) = tokio::fs::read("/run/secrets/reports.env").await { //~ ok(fs)
        settings::apply_secrets(&blob).await?;
    }
    let token = settings::api_token().await?;

    let backlog: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    if !backlog.is_empty() {
        let rows = sheets::load_many(backlog, settings.sheet_name.clone()).await?;
        publish::publish_csv(&settings.outbox, "backlog", &rows).await?;
    }
    tracing::info!(token_len = token.len(), "publisher authenticated");

    let mut ticker = tokio::time::interval(Duration::from_secs(settings.interval_secs));
    loop {
        ticker.tick().await;
        if let Some(env_file) = &settings.reload_env_from {
            settings::reload_from(env_file).await?;
        }
        let mut dir = tokio::fs::read_dir(&settings.inbox).await?; //~ ok(fs)
        while let Some(entry) = dir.next_entry().await? { //~ ok(fs)
            let path = entry.path();
            let result = match path.extension().and_then(|e| e.to_str()) {
                Some("xlsx") | Some("xls") | Some("ods") => build_report(&settings, &path).await,
                Some("preview") => preview(&settings, &path).await,
                _ => continue,
            };
            if let Err(err) = result {
                tracing::error!(file = %path.display(), %err, "report failed");
            }
        }
    }
}

async fn build_report(settings: &Settings, path: &Path) -> anyhow::Result<()> {
    let names = sheets::sheet_names(path)?; //~ fs
    let rows = if names.contains(&settings.sheet_name) {
        sheets::load_ledger(path, &settings.sheet_name).await?
    } else {
        sheets::load_any(path).await?
    };
    let quarter = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "unknown".to_string());

    let deltas = publish::compare_with_previous(&settings.outbox, &quarter, &rows).await?;
    publish::rotate_previous(&settings.outbox, &quarter)?; //~ fs
    publish::publish_csv(&settings.outbox, &quarter, &rows).await?;
    publish::publish_extract_file(&settings.outbox.join(format!("{quarter}-deltas.csv")), &deltas).await?;

    let report = settings.outbox.join(format!("{quarter}.pdf"));
    pdf::stamp_cover(&settings.template_pdf, &report, &quarter).await?;
    let mut pages = pdf::page_count(&report)?; //~ fs
    if let Ok(appendix) = tokio::fs::read(path.with_extension("appendix.pdf")).await { //~ ok(fs)
        let stamped = settings.outbox.join(format!("{quarter}-full.pdf"));
        pages = pdf::append_appendix(&report, &appendix, &stamped).await?;
    }
    tracing::info!(%quarter, rows = rows.len(), pages, "report published");

    let done = settings.outbox.join("processed").join(path.file_name().unwrap_or_default());
    tokio::fs::rename(path, done).await?; //~ ok(fs)
    Ok(())
}

async fn preview(settings: &Settings, marker: &Path) -> anyhow::Result<()> {
    let workbook = tokio::fs::read(marker.with_extension("xlsx")).await?; //~ ok(fs)
    let rows = sheets::load_uploaded(workbook, &settings.sheet_name).await?;
    let extract = publish::render_extract(&rows).await?;
    let template = tokio::fs::read(&settings.template_pdf).await?; //~ ok(fs)
    let pdf = pdf::render_preview(&template, "PREVIEW").await?;
    tokio::fs::write(marker.with_extension("csv"), extract).await?;
    tokio::fs::write(marker.with_extension("pdf"), pdf).await?;
    Ok(())
}
