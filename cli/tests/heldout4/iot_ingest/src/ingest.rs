use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket as StdUdpSocket};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, RwLock as AsyncRwLock};

use crate::clock::now_ms;
use crate::decode::{self, Frame};
use crate::devices::{Device, Registry};
use crate::sink::{Csv, Fanout, InfluxSink, Ring};
use crate::Reading;

#[derive(Debug, Clone)]
pub struct InfluxConfig {
    pub url: String,
    pub org: String,
    pub bucket: String,
    pub token: String,
}

#[derive(Debug, Clone)]
pub struct IngestConfig {
    pub bind: SocketAddr,
    pub ack_bind: SocketAddr,
    pub registry_file: PathBuf,
    pub registry_url: Option<String>,
    pub firmware_dir: PathBuf,
    pub csv_path: Option<PathBuf>,
    pub influx: Option<InfluxConfig>,
    pub backlog: usize,
}

#[derive(Debug, Default)]
struct Calibration {
    drift: HashMap<u32, f64>,
}

pub struct Ingestor {
    cfg: IngestConfig,
    socket: UdpSocket,
    acks: StdUdpSocket,
    registry: Arc<Registry>,
    sinks: Arc<Fanout>,
    calib: Mutex<Calibration>,
    firmware_latest: AsyncRwLock<u16>,
    stats: mpsc::Sender<(u32, usize)>,
    ticks: AtomicU64,
    http: reqwest::Client,
}

fn ack_bytes(seq: u16) -> [u8; 4] {
    let s = seq.to_be_bytes();
    [0xac, 0x01, s[0], s[1]]
}

fn nack_bytes(seq: u16) -> [u8; 4] {
    let s = seq.to_be_bytes();
    [0xac, 0xff, s[0], s[1]]
}

impl Ingestor {
    pub async fn bind(cfg: IngestConfig) -> anyhow::Result<(Arc<Self>, mpsc::Receiver<(u32, usize)>)> {
        let socket = UdpSocket::bind(cfg.bind).await?; //~ ok(net)
        let acks = StdUdpSocket::bind(cfg.ack_bind)?;
        let registry = Arc::new(Registry::load(cfg.registry_file.clone())?); //~ fs
        let csv = match &cfg.csv_path {
            Some(p) => Some(Csv::open(p)?), //~ fs
            None => None,
        };
        let influx = cfg
            .influx
            .as_ref()
            .map(|c| InfluxSink::new(&c.url, &c.org, &c.bucket, &c.token)); //~ ok(http_blocking)
        let (stats, stats_rx) = mpsc::channel(1024);
        let me = Self {
            sinks: Arc::new(Fanout {
                influx,
                csv,
                backlog: Ring::with_capacity(cfg.backlog),
            }),
            cfg,
            socket,
            acks,
            registry,
            calib: Mutex::new(Calibration::default()),
            firmware_latest: AsyncRwLock::new(0),
            stats,
            ticks: AtomicU64::new(0),
            http: reqwest::Client::new(),
        };
        Ok((Arc::new(me), stats_rx))
    }

    fn calibrate(&self, dev: &Device, frame: &Frame) -> Reading {
        let drift = self
            .calib
            .lock()
            .unwrap()
            .drift
            .get(&frame.device_id)
            .copied()
            .unwrap_or(0.0);
        let (sensor, unit) = match frame.kind {
            1 => ("temperature", "C"),
            2 => ("humidity", "%"),
            3 => ("pressure", "hPa"),
            _ => ("raw", ""),
        };
        Reading {
            device: dev.id,
            sensor: format!("{}/{}", dev.site, sensor),
            value: frame.raw as f64 * dev.gain + dev.offset + drift,
            unit,
            ts_ms: now_ms(),
        }
    }

    fn nack(&self, peer: SocketAddr, seq: u16) {
        if let Err(e) = self.acks.send_to(&nack_bytes(seq), peer) {
            tracing::debug!(%peer, error = %e, "nack failed");
        }
    }

    pub async fn run(self: Arc<Self>) -> anyhow::Result<()> {
        if let Some(url) = &self.cfg.registry_url {
            let n = self.registry.refresh(&self.http, url).await?;
            tracing::info!(devices = n, "registry refreshed");
        }
        let manifest = decode::firmware_manifest(&self.cfg.firmware_dir)?; //~ fs
        *self.firmware_latest.write().await = manifest.latest; //~ ok(lock)
        tokio::spawn(self.clone().backlog_loop());

        let mut buf = [0u8; 512];
        loop {
            let (n, peer) = self.socket.recv_from(&mut buf).await?; //~ ok(net)
            let frame = match decode::read(&buf[..n]) { //~ ok(fs)
                Ok(f) => f,
                Err(e) => {
                    tracing::debug!(%peer, error = %e, "dropping frame");
                    continue;
                }
            };
            let Some(dev) = self.registry.lookup(frame.device_id) else { //~ lock
                self.nack(peer, frame.seq); //~ net
                continue;
            };
            self.registry.touch(frame.device_id, now_ms()); //~ lock
            let reading = self.calibrate(&dev, &frame); //~ lock
            if let Err(e) = self.sinks.write(&reading) { //~ http_blocking
                tracing::warn!(device = dev.id, error = %e, "sink write failed");
            }
            self.acks.send_to(&ack_bytes(frame.seq), peer)?; //~ net

            let latest = *self.firmware_latest.read().await; //~ ok(lock)
            if frame.firmware < latest {
                tracing::info!(device = dev.id, have = frame.firmware, latest, "outdated firmware");
            }
            if self.stats.blocking_send((frame.device_id, n)).is_err() { //~ tokio_blocking
                tracing::trace!("stats consumer gone");
            }
        }
    }

    async fn backlog_loop(self: Arc<Self>) {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            let drained = self.sinks.drain_backlog(); //~ http_blocking
            let left = self.sinks.backlog.len(); //~ ok(lock)
            tracing::debug!(drained, left, "backlog pass");
            if self.ticks.fetch_add(1, Ordering::Relaxed) % 30 == 0 {
                if let Err(e) = self.registry.save() { //~ fs
                    tracing::warn!(error = %e, "registry save failed");
                }
            }
        }
    }

    pub async fn register_device(&self, device: Device) -> std::io::Result<()> {
        let id = device.id;
        if self.registry.insert(device).is_some() { //~ lock
            tracing::info!(id, "device updated");
        }
        self.registry.save() //~ fs
    }

    pub async fn rotate_csv(&self) -> anyhow::Result<()> {
        let Some(csv) = &self.sinks.csv else {
            return Ok(());
        };
        let rotated = csv.rotate(&now_ms().to_string())?; //~ fs
        Csv::compress(&rotated).await?; //~ ok(process)
        Ok(())
    }

    pub async fn health(&self) -> serde_json::Value {
        let influx_ok = self.sinks.influx.as_ref().map(|i| i.health()); //~ miss(http_blocking)
        let devices = self.registry.len(); //~ lock
        let store = self.registry.store_path().display().to_string(); //~ ok(fs)
        json!({ "influx": influx_ok, "devices": devices, "registry": store })
    }

    pub async fn resync_registry(&self) -> anyhow::Result<usize> {
        let Some(url) = &self.cfg.registry_url else {
            return Ok(0);
        };
        Ok(self.registry.refresh_now(&self.http, url)?) //~ block_on
    }

    pub async fn shutdown(&self) {
        let registry = self.registry.clone();
        let _ = tokio::task::spawn_blocking(move || registry.save()).await; //~ ok(fs)
        tokio::time::sleep(Duration::from_millis(100)).await; //~ ok(sleep)
        let flushed = self.sinks.drain_backlog(); //~ http_blocking
        tracing::info!(flushed, "ingestor stopped");
    }

    pub fn drift_snapshot(&self) -> HashMap<u32, f64> {
        self.calib.lock().unwrap().drift.clone()
    }

    pub async fn export_drift(self: Arc<Self>, path: PathBuf) -> anyhow::Result<()> {
        let me = self.clone();
        let drift = tokio::task::spawn_blocking(move || me.drift_snapshot()).await?; //~ ok(lock)
        let body = serde_json::to_vec(&drift)?;
        tokio::fs::write(&path, body).await?; //~ ok(fs)
        Ok(())
    }
}

pub async fn consume_stats(mut rx: mpsc::Receiver<(u32, usize)>) {
    let mut bytes: HashMap<u32, usize> = HashMap::new();
    while let Some((device, n)) = rx.recv().await { //~ ok(channel)
        *bytes.entry(device).or_default() += n;
        if bytes.len() > 10_000 {
            bytes.clear();
        }
    }
}
