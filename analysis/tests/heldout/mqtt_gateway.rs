//! MQTT IoT gateway: bridges device commands from the broker to a serial
//! radio, and sensor datagrams from the LAN to the broker.

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::net::{ToSocketAddrs, UdpSocket as StdUdp};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::UdpSocket;
use tokio::sync::Mutex as AsyncMutex;

struct Radio {
    tty: std::fs::File,
    frames_sent: u64,
}

impl Radio {
    fn open(dev: &str) -> std::io::Result<Self> {
        let tty = OpenOptions::new().read(true).write(true).open(dev)?; //~ ok(fs)
        Ok(Radio { tty, frames_sent: 0 })
    }

    async fn write(&mut self, frame: &[u8]) -> std::io::Result<()> {
        self.tty.write_all(frame)?; //~ fs
        self.frames_sent += 1;
        Ok(())
    }

    async fn read_ack(&mut self) -> std::io::Result<u8> {
        let mut b = [0u8; 1];
        self.tty.read_exact(&mut b)?; //~ fs
        Ok(b[0])
    }
}

async fn command_bridge(client: AsyncClient, mut eventloop: rumqttc::EventLoop, radio: Arc<AsyncMutex<Radio>>) {
    client.subscribe("devices/+/cmd", QoS::AtLeastOnce).await.unwrap();
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::Publish(p))) => {
                let mut radio = radio.lock().await; //~ ok(lock)
                if radio.write(&p.payload).await.is_err() { //~ ok(fs)
                    tracing::warn!(topic = %p.topic, "radio write failed");
                    continue;
                }
                let ack = radio.read_ack().await.unwrap_or(0);
                let topic = p.topic.replace("/cmd", "/ack");
                client.publish(topic, QoS::AtLeastOnce, false, vec![ack]).await.ok();
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(%e, "broker connection lost");
                tokio::time::sleep(Duration::from_secs(2)).await; //~ ok(sleep)
            }
        }
    }
}

async fn sensor_ingest(client: AsyncClient) -> std::io::Result<()> {
    let sock = UdpSocket::bind("0.0.0.0:5683").await?; //~ ok(net)
    let mut buf = [0u8; 512];
    loop {
        let (n, from) = sock.recv_from(&mut buf).await?; //~ ok(net)
        let topic = format!("sensors/{}", from.ip());
        client.publish(topic, QoS::AtMostOnce, false, buf[..n].to_vec()).await.ok();
    }
}

async fn discover_devices() -> Vec<String> {
    let sock = StdUdp::bind("0.0.0.0:0").unwrap(); //~ ok(net)
    sock.set_broadcast(true).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    sock.send_to(b"DISCOVER", "255.255.255.255:5684").unwrap(); //~ net
    let mut found = Vec::new();
    let mut buf = [0u8; 64];
    while let Ok((n, _)) = sock.recv_from(&mut buf) { //~ net
        found.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    found
}

async fn flush_radio(radio: Arc<AsyncMutex<Radio>>) -> u64 {
    let guard = radio.blocking_lock(); //~ tokio_blocking
    tracing::info!(sent = guard.frames_sent);
    drop(guard);
    let r = radio.clone();
    tokio::task::spawn_blocking(move || {
        let g = r.blocking_lock(); //~ ok(tokio_blocking)
        g.tty.sync_all().ok(); //~ ok(fs)
    })
    .await
    .ok();
    let h = tokio::runtime::Handle::current();
    h.block_on(async { radio.lock().await.frames_sent }) //~ block_on, ok(lock)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let broker = ("broker.local", 1883).to_socket_addrs().ok().and_then(|mut a| a.next()); //~ dns
    tracing::info!(?broker, "resolved broker");
    let mut opts = MqttOptions::new("gateway-01", "broker.local", 1883);
    opts.set_keep_alive(Duration::from_secs(30));
    let (client, eventloop) = AsyncClient::new(opts, 64);
    let radio = Radio::open("/dev/ttyUSB0").expect("radio");
    let devices = discover_devices().await;
    tracing::info!(count = devices.len(), "devices found");
    let radio = Arc::new(AsyncMutex::new(radio));
    let bridge = tokio::spawn(command_bridge(client.clone(), eventloop, radio));
    let ingest = tokio::spawn(sensor_ingest(client));
    let (a, b) = tokio::join!(bridge, ingest); //~ ok(thread_join)
    tracing::info!(?a, ?b, "gateway stopped");
}
