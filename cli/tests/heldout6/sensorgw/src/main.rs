//! sensorgw — bridges field sensors (MQTT) into a local jammdb store,
//! republishes normalised readings and keeps an eye on clock drift.

mod config;
mod fanout;
mod mqtt;
mod store;
mod timesync;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rumqttc::QoS;
use tokio::sync::mpsc;

use crate::config::GwConfig;
use crate::fanout::Fanout;
use crate::store::{Reading, ReadingStore};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cfg = GwConfig::from_env()?;

    // Refuse to start with a badly skewed clock: timestamps go into the store.
    let offset = timesync::offset_blocking(cfg.ntp_server)?; //~ net
    if offset.abs() > cfg.max_skew_secs {
        anyhow::bail!("clock skew {offset:.3}s exceeds limit");
    }

    let store = Arc::new(ReadingStore::open(&cfg.db_path)?); //~ db
    let known = store.sensor_count()?; //~ db
    tracing::info!(known, "opened reading store");

    let (sync_client, bridge) = mqtt::spawn_sync_bridge(&cfg); //~ ok(net)
    let fanout = Arc::new(Mutex::new(Fanout::new(128)));
    let tap = fanout.lock().unwrap().subscribe(); //~ lock
    let logger = std::thread::spawn(move || fanout::legacy_logger(tap)); //~ ok(channel)

    let (tx, mut rx) = mpsc::channel::<Reading>(1024);
    tokio::spawn(mqtt::run_listener(cfg.clone(), tx));
    tokio::spawn(timesync::watch_drift(cfg.clone()));
    tokio::spawn(retention(store.clone(), cfg.retention_per_sensor));

    // The broker check uses the sync client's own runtime, so keep it off
    // the async workers.
    let probe_cfg = cfg.clone();
    let reachable = tokio::task::block_in_place(|| mqtt::probe_broker(&probe_cfg)); //~ ok(block_on)
    tracing::info!(reachable, "broker probe");

    let mut stats_tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            maybe = rx.recv() => { //~ ok(channel)
                let Some(reading) = maybe else { break };
                store.append(&reading)?; //~ db
                {
                    let mut f = fanout.lock().unwrap(); //~ lock
                    if !f.offer(reading.clone()) { //~ ok(channel)
                        f.publish(reading.clone()); //~ channel
                    }
                }
                let topic = format!("normalised/{}", reading.sensor);
                sync_client.publish(topic, QoS::AtLeastOnce, false, reading.encode())?; //~ channel
            }
            _ = stats_tick.tick() => {
                let s = store.clone();
                let count = tokio::task::spawn_blocking(move || s.sensor_count()).await??; //~ ok(db)
                tracing::info!(count, "sensors seen");
                if let Some(last) = store.latest("boiler-1")? { //~ db
                    tracing::info!(value = last.value, "boiler-1 latest");
                }
            }
            _ = tokio::signal::ctrl_c() => break,
        }
    }

    for sensor in ["boiler-1", "boiler-2", "outdoor"] {
        if let Some(r) = store.latest(sensor)? { //~ db
            sync_client.publish(format!("final/{sensor}"), QoS::AtLeastOnce, true, r.encode())?; //~ channel
        }
    }
    let removed = store.trim(cfg.retention_per_sensor)?; //~ db
    tracing::info!(removed, "final trim");
    sync_client.try_disconnect()?; //~ ok(channel)
    drop(sync_client);
    let _ = bridge.join(); //~ thread_join
    drop(fanout);
    let _ = logger.join(); //~ thread_join
    Ok(())
}

/// Trims old readings once an hour.
async fn retention(store: Arc<ReadingStore>, keep: usize) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match store.trim(keep) { //~ db
            Ok(n) => tracing::info!(removed = n, "retention pass"),
            Err(e) => tracing::warn!(error = %e, "retention failed"),
        }
    }
}
