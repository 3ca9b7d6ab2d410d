use std::thread::JoinHandle;
use std::time::Duration;

use rumqttc::{AsyncClient, Client, Event, MqttOptions, Packet, QoS};
use tokio::sync::mpsc;

use crate::config::GwConfig;
use crate::store::Reading;

fn options(cfg: &GwConfig, suffix: &str) -> MqttOptions {
    let mut opts = MqttOptions::new(format!("{}-{suffix}", cfg.client_id), cfg.broker_host.clone(), cfg.broker_port);
    opts.set_keep_alive(Duration::from_secs(30));
    opts
}

/// Publisher side: a sync `Client` whose connection is driven by a
/// dedicated OS thread.
pub fn spawn_sync_bridge(cfg: &GwConfig) -> (Client, JoinHandle<()>) {
    let (client, mut connection) = Client::new(options(cfg, "pub"), 64);
    let handle = std::thread::spawn(move || {
        for event in connection.iter() {
            if let Err(e) = event {
                tracing::warn!(error = %e, "publisher connection error");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    });
    (client, handle)
}

/// Connects with a throwaway sync client and waits for the CONNACK.
pub fn probe_broker(cfg: &GwConfig) -> bool {
    let (client, mut connection) = Client::new(options(cfg, "probe"), 4);
    let ok = matches!(
        connection.recv_timeout(Duration::from_secs(3)),
        Ok(Ok(Event::Incoming(Packet::ConnAck(_))))
    );
    let _ = client.try_disconnect();
    ok
}

/// Subscriber side, fully async.
pub async fn run_listener(cfg: GwConfig, tx: mpsc::Sender<Reading>) -> anyhow::Result<()> {
    let (client, mut eventloop) = AsyncClient::new(options(&cfg, "sub"), 32); //~ ok(net)
    client.subscribe("sensors/+/value", QoS::AtMostOnce).await?; //~ ok(channel)
    loop {
        match eventloop.poll().await { //~ ok(net)
            Ok(Event::Incoming(Packet::Publish(p))) => match Reading::parse(&p.topic, &p.payload) {
                Some(r) => tx.send(r).await?, //~ ok(channel)
                None => {
                    let _ = client.try_publish("gw/rejected", QoS::AtMostOnce, false, p.payload.to_vec()); //~ ok(channel)
                }
            },
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "subscriber connection error");
                tokio::time::sleep(Duration::from_secs(2)).await; //~ ok(sleep)
            }
        }
    }
}
