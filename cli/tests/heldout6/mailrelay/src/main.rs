//! mailrelay — drains a persistent outbox of notification mails and
//! delivers them over SMTP, with a local spool as a fallback.

mod config;
mod notify;
mod outbox;
mod worker;

use std::sync::Arc;

use tokio::sync::{mpsc, Mutex};

use crate::config::RelayConfig;
use crate::outbox::{MailJob, Outbox};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cfg = RelayConfig::from_file_or_default("mailrelay.conf")?; //~ fs
    tracing::info!(?cfg, "starting mailrelay");

    let outbox = Outbox::open(&cfg.outbox_path)?; //~ db
    let pending = outbox.pending(); //~ ok(db)
    tracing::info!(count = pending.len(), "jobs pending from last run");
    let outbox = Arc::new(Mutex::new(outbox));

    let (tx, rx) = mpsc::channel::<MailJob>(256);
    let intake = tokio::spawn(worker::intake_loop(cfg.clone(), tx.clone()));
    let delivery = tokio::spawn(worker::delivery_loop(cfg.clone(), outbox.clone(), rx));

    // Jobs that already failed before the restart go through the async
    // retry path; fresh ones are re-queued.
    let (retried, fresh): (Vec<MailJob>, Vec<MailJob>) = pending.into_iter().partition(|j| j.attempts > 0);
    let resent = worker::redeliver(&cfg, retried).await?;
    tracing::info!(resent, "redelivered stale jobs");
    for job in fresh {
        tx.send(job).await?; //~ ok(channel)
    }

    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("shutting down"),
        res = intake => tracing::warn!(?res, "intake stopped"),
        res = delivery => tracing::warn!(?res, "delivery stopped"),
    }

    let mut ob = outbox.lock().await; //~ ok(lock)
    ob.flush()?; //~ db
    Ok(())
}
