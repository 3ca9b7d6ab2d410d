use std::sync::Arc;
use std::time::Duration;

use backoff::ExponentialBackoffBuilder;
use tokio::sync::{mpsc, Mutex};

use crate::config::RelayConfig;
use crate::notify::{
    is_permanent, AsyncNotifier, AsyncSendmail, AsyncSmtp, AsyncSpool, Notifier, SendmailNotifier, SmtpNotifier,
    SpoolNotifier,
};
use crate::outbox::{suppress, MailJob, Outbox};

/// Picks up `*.jobs` files dropped into the incoming directory.
pub async fn intake_loop(cfg: RelayConfig, tx: mpsc::Sender<MailJob>) -> anyhow::Result<()> {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        let mut rd = tokio::fs::read_dir(&cfg.incoming_dir).await?; //~ ok(fs)
        while let Some(entry) = rd.next_entry().await? { //~ ok(fs)
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("jobs") {
                continue;
            }
            let text = tokio::fs::read_to_string(&path).await?; //~ ok(fs)
            for job in text.lines().filter_map(MailJob::parse_line) {
                if suppress::is_suppressed(&cfg.suppress_path, &job.to) { //~ db
                    tracing::info!(to = %job.to, "suppressed");
                    continue;
                }
                tx.send(job).await?; //~ ok(channel)
            }
            tokio::fs::remove_file(&path).await?; //~ ok(fs)
        }

        // Bounce reports: one address per line in `bounces.txt`.
        let bounce_file = cfg.incoming_dir.join("bounces.txt");
        if let Ok(text) = std::fs::read_to_string(&bounce_file) { //~ fs
            for addr in text.lines().map(str::trim).filter(|a| !a.is_empty()) {
                suppress::add(&cfg.suppress_path, addr, "bounce")?; //~ db
            }
            std::fs::remove_file(&bounce_file)?; //~ fs
        }
    }
}

pub async fn delivery_loop(
    cfg: RelayConfig,
    outbox: Arc<Mutex<Outbox>>,
    mut rx: mpsc::Receiver<MailJob>,
) -> anyhow::Result<()> {
    let smtp = SmtpNotifier::new(&cfg.smtp_host, cfg.smtp_port); //~ ok(net)
    let spool: Box<dyn Notifier> = Box::new(SpoolNotifier::new(&cfg.spool_dir)); //~ ok(fs)
    let sendmail: Box<dyn Notifier> = Box::new(SendmailNotifier::new()); //~ ok(process)
    let async_smtp = AsyncSmtp::new(&cfg.smtp_host, cfg.smtp_port); //~ ok(net)
    let async_spool = AsyncSpool::new(&cfg.spool_dir); //~ ok(fs)

    if !async_smtp.probe().await { //~ ok(net)
        tracing::warn!("async smtp probe failed, checking blocking transport");
        let reachable = smtp.probe(); //~ net
        tracing::warn!(reachable, "blocking smtp probe");
    }
    let snapshot = suppress::load_snapshot(&cfg.suppress_path); //~ db

    let mut flush_tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tokio::select! {
            maybe = rx.recv() => { //~ ok(channel)
                let Some(mut job) = maybe else { break };
                if let Some(snap) = &snapshot {
                    if suppress::in_snapshot(snap, &job.to) { //~ ok(db)
                        continue;
                    }
                }
                outbox.lock().await.enqueue(&job)?; //~ ok(db)
                let msg = job.to_message(&cfg.from_addr)?; //~ ok(net)

                let res = if cfg.use_sendmail {
                    sendmail.deliver(&msg) //~ process
                } else if cfg.async_smtp {
                    async_smtp.deliver(msg.clone()).await //~ ok(net)
                } else {
                    smtp.deliver(&msg) //~ net
                };

                match res {
                    Ok(()) => {
                        outbox.lock().await.complete(&job.id)?; //~ ok(db)
                    }
                    Err(e) if is_permanent(&e) => {
                        suppress::add(&cfg.suppress_path, &job.to, &e.to_string())?; //~ db
                        outbox.lock().await.complete(&job.id)?; //~ ok(db)
                    }
                    Err(e) => {
                        job.attempts += 1;
                        tracing::warn!(error = %e, attempts = job.attempts, "delivery failed, spooling");
                        if job.attempts > 3 {
                            spool.deliver(&msg)?; //~ fs
                        } else {
                            async_spool.deliver(msg).await?; //~ ok(fs)
                        }
                    }
                }
            }
            _ = flush_tick.tick() => {
                if !cfg.async_smtp && !smtp.probe() { //~ net
                    tracing::warn!(transport = smtp.name(), "smtp unreachable");
                }
                // Opportunistic flush: don't wait on the outbox if a delivery holds it.
                let policy = ExponentialBackoffBuilder::new() //~ ok(sleep)
                    .with_initial_interval(Duration::from_millis(50))
                    .with_max_elapsed_time(Some(Duration::from_secs(2)))
                    .build();
                let guard = backoff::retry(policy, || outbox.try_lock().map_err(backoff::Error::transient)); //~ sleep
                if let Ok(mut ob) = guard {
                    if ob.needs_flush() {
                        ob.flush()?; //~ db
                    }
                }
            }
        }
    }
    Ok(())
}

/// Resend the spool through the async transport with async backoff.
pub async fn redeliver(cfg: &RelayConfig, jobs: Vec<MailJob>) -> anyhow::Result<usize> {
    let smtp = AsyncSmtp::new(&cfg.smtp_host, cfg.smtp_port);
    let fallback = AsyncSendmail;
    let mut sent = 0;
    for job in jobs {
        let msg = job.to_message(&cfg.from_addr)?;
        let policy = ExponentialBackoffBuilder::new()
            .with_max_elapsed_time(Some(Duration::from_secs(60)))
            .build();
        let op = || async { smtp.deliver(msg.clone()).await.map_err(backoff::Error::transient) };
        let res = backoff::future::retry(policy, op).await; //~ ok(sleep)
        if res.is_err() {
            fallback.deliver(msg).await?; //~ ok(process)
        }
        sent += 1;
    }
    Ok(sent)
}
