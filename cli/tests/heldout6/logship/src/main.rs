//! logship — tails application logs, batches new lines into lz4 spool
//! files and ships them to an HTTP collector, checkpointing offsets.

mod checkpoint;
mod config;
mod ship;
mod spool;
mod stats;
mod tail;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bus::Bus;

use crate::checkpoint::Checkpoints;
use crate::config::Config;
use crate::stats::{Stat, Stats};
use crate::tail::Tailer;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cfg_path = std::env::args().nth(1).unwrap_or_else(|| "logship.conf".into());
    let cfg = Config::load(&cfg_path)?; //~ fs
    fs_err::create_dir_all(&cfg.spool_dir)?; //~ fs
    let mut checkpoints = Checkpoints::open(&cfg.state_path)?; //~ db
    let stats = Arc::new(Mutex::new(Stats::default()));

    // Local consumers of ship events (stdout summary, optional file mirror).
    let mut events: Bus<Stat> = Bus::new(256);
    let rx = events.add_rx();
    let printer = std::thread::spawn(move || stats::print_events(rx)); //~ ok(channel)

    // Anything left in the spool from a previous run goes first.
    let leftovers = spool::pending(&cfg.spool_dir); //~ fs
    for path in leftovers {
        let body = spool::read_batch(&path)?; //~ fs
        match ship::post(&cfg.collector_url, &body) { //~ http_blocking
            Ok(()) => fs_err::remove_file(&path)?, //~ fs
            Err(e) => tracing::warn!(error = %e, "collector still down"),
        }
    }

    let mut tailer = Tailer::new(&cfg.log_dir);
    let mut tick = tokio::time::interval(Duration::from_secs(cfg.interval_secs));
    let mut rounds = 0u64;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = tokio::signal::ctrl_c() => break,
        }
        rounds += 1;

        let files = tailer.discover(); //~ fs
        for file in files {
            let key = file.to_string_lossy().into_owned();
            let from = checkpoints.get(&key); //~ ok(db)
            let (lines, new_offset) = match tailer.read_new(&file, from) { //~ fs
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(file = %key, error = %e, "read failed");
                    continue;
                }
            };
            if lines.is_empty() {
                continue;
            }

            if lines.len() < cfg.inline_lines {
                // Small batch: compress in memory and ship without spooling.
                let body = spool::compress_lines(&lines); //~ ok(fs)
                let preview = spool::decode_batch(&body[..])?; //~ ok(fs)
                tracing::trace!(bytes = preview.len(), "inline batch");
                let url = cfg.collector_url.clone();
                let sent = tokio::task::spawn_blocking(move || ship::post(&url, &body)).await?; //~ ok(http_blocking)
                if sent.is_ok() {
                    checkpoints.set(&key, new_offset)?; //~ ok(db)
                }
                continue;
            }

            let batch = spool::write_batch(&cfg.spool_dir, &lines)?; //~ fs
            let body = spool::read_batch(&batch)?; //~ fs
            let outcome = ship::post_with_retry(&cfg.collector_url, &body); //~ http_blocking
            let ok = outcome.is_ok();
            stats.lock().unwrap().record(&key, lines.len(), body.len(), ok); //~ lock
            events.broadcast(Stat { file: key.clone(), lines: lines.len(), ok }); //~ channel
            if ok {
                fs_err::remove_file(&batch)?; //~ fs
                checkpoints.set(&key, new_offset)?; //~ ok(db)
            } else {
                let meta = fs_err::metadata(&batch)?; //~ fs
                tracing::warn!(bytes = meta.len(), "batch kept in spool");
            }
        }

        if rounds % 10 == 0 {
            checkpoints.save()?; //~ db
            let snapshot = stats.lock().unwrap().clone(); //~ lock
            stats::write_report(&cfg.spool_dir.join("stats.txt"), &snapshot)?; //~ fs
            let age = spool::oldest_age_secs(&cfg.spool_dir); //~ fs
            if age > 3600 {
                tracing::error!(age, "spool is backing up");
            }
        }
        if rounds % 60 == 0 {
            let hb = ship::heartbeat_blocking(&cfg.collector_url); //~ block_on
            tracing::debug!(?hb, "heartbeat");
        }
    }

    checkpoints.save()?; //~ db
    drop(events);
    let _ = printer.join(); //~ thread_join
    let final_stats = stats.lock().unwrap().clone(); //~ lock
    tracing::info!(?final_stats, "logship stopped");
    Ok(())
}
