//! Daily digest of machine-generated mail (CI, alerts, cron output): reads a
//! Maildir, groups notices by sender and subject, renders a Handlebars digest
//! and sends it through the mail provider's HTTP API.

mod config;
mod inbox;
mod pipeline;
mod render;
mod sender;
mod state;

use std::time::Duration;

use tracing::{error, info};

use crate::config::Config;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "daemon".to_string());
    let cfg = config::load(&args.next().unwrap_or_else(|| "/etc/mail-digest.json".into()))?; //~ fs

    match mode.as_str() {
        "preview" => pipeline::preview(&cfg).await?,
        "once" => {
            let sent = pipeline::run_once(&cfg).await?;
            info!(sent, "digest run finished");
        }
        _ => loop {
            match pipeline::run_once(&cfg).await {
                Ok(sent) => info!(sent, "digest run finished"),
                Err(e) => error!("digest run failed: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(cfg.interval_secs)).await; //~ ok(sleep)
        },
    }
    Ok(())
}
