use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::sync::Mutex as AsyncMutex;
use tokio_modbus::client::sync::Reader;
use tracing::{info, warn};

use crate::config::{self, GatewayConfig};
use crate::field::{self, AsyncPlc, SerialLink, SyncPlc};
use crate::uplink::*;

pub struct Gateway {
    cfg: GatewayConfig,
    sync_plc: Mutex<SyncPlc>,
    async_plc: AsyncMutex<AsyncPlc>,
    uplink: Uplink,
    async_uplink: AsyncUplink,
    last: Mutex<HashMap<String, Vec<u16>>>,
    meter: Option<Arc<Mutex<SerialLink>>>,
}

impl Gateway {
    pub async fn build(cfg: GatewayConfig) -> anyhow::Result<Self> {
        let addr: SocketAddr = cfg.plc_addr.parse()?;
        let sync_plc = SyncPlc::connect(addr, cfg.slave_id)?; //~ net
        let async_plc = AsyncPlc::connect(addr, cfg.slave_id).await?; //~ ok(net)

        let uplink = Uplink::new(&cfg.mqtt_uri, &cfg.mqtt_client_id)?; //~ ok(net)
        uplink.cli.connect(connect_opts())?; //~ net
        uplink.cli.subscribe(&format!("plant/cmd/{}", cfg.site), 1)?; //~ net
        let async_uplink = AsyncUplink::new(&cfg.mqtt_uri, &format!("{}-async", cfg.mqtt_client_id))?; //~ ok(net)
        async_uplink.cli.connect(connect_opts()).await?; //~ ok(net)

        let meter = match &cfg.serial_device {
            Some(dev) => Some(Arc::new(Mutex::new(SerialLink::open(dev, cfg.serial_baud)?))), //~ fs
            None => None,
        };
        let ports = field::serial::list_ports(); //~ fs
        info!(?ports, "serial ports present");

        Ok(Self {
            cfg,
            sync_plc: Mutex::new(sync_plc),
            async_plc: AsyncMutex::new(async_plc),
            uplink,
            async_uplink,
            last: Mutex::new(HashMap::new()),
            meter,
        })
    }

    pub async fn run_forever(self: Arc<Self>) -> anyhow::Result<()> {
        let (tx, rx) = mpsc::channel::<field::Sample>();
        let meter_thread = self.meter.clone().map(|link| {
            let tx = tx.clone();
            std::thread::spawn(move || loop {
                let reading = link.lock().unwrap().query("RD?"); //~ ok(fs)
                if let Ok(r) = reading {
                    let _ = tx.send(("flow".into(), vec![r.parse().unwrap_or(0)]));
                }
                std::thread::sleep(Duration::from_secs(1)); //~ ok(sleep)
            })
        });

        let mut ticker = tokio::time::interval(Duration::from_millis(self.cfg.poll_ms));
        let mut failures = 0u32;
        loop {
            ticker.tick().await; //~ ok(sleep)
            if let Err(e) = self.poll_once().await {
                failures += 1;
                warn!(%e, failures, "poll failed");
                std::thread::sleep(Duration::from_millis(200 * failures as u64)); //~ sleep
                if failures > 10 {
                    break;
                }
                if failures % 5 == 0 && !self.uplink.cli.is_connected() { //~ ok(net)
                    self.uplink.cli.reconnect()?; //~ net
                }
                continue;
            }
            failures = 0;

            while let Ok((name, words)) = rx.try_recv() { //~ ok(channel)
                self.last.lock().unwrap().insert(name, words); //~ lock
            }
            if self.meter.is_some() && self.last.try_lock().is_err() {
                let (name, words) = rx.recv()?; //~ channel
                info!(%name, len = words.len(), "late meter sample");
            }
            self.handle_commands().await?;
            self.persist_state().await?;
        }

        drop(tx);
        if let Some(h) = meter_thread {
            let _ = h.join(); //~ thread_join
        }
        self.shutdown().await
    }

    async fn poll_once(&self) -> anyhow::Result<()> {
        for block in &self.cfg.blocks {
            let sample = if block.name.starts_with("legacy_") {
                self.sync_plc.lock().unwrap().read_block(block)? //~ net
            } else {
                let mut plc = self.async_plc.lock().await; //~ ok(lock)
                plc.read_block(block).await? //~ ok(net)
            };
            let body = json!({ "site": self.cfg.site, "block": sample.0, "words": sample.1 });
            let topic = topic_for(&self.cfg.site, &sample.0);
            if self.cfg.poll_ms < 1000 {
                self.async_uplink.publish_json(&topic, &body).await?; //~ ok(net)
            } else {
                self.uplink.publish_json(&topic, &body)?; //~ net
            }
        }
        if let Some(meter) = &self.meter {
            let flow = meter.lock().unwrap().query("RD?")?; //~ fs
            let zero = {
                let link = meter.clone();
                tokio::task::spawn_blocking(move || link.lock().unwrap().query("ZERO?")).await?? //~ ok(fs)
            };
            info!(%flow, %zero, "flow meter");
        }
        Ok(())
    }

    async fn handle_commands(&self) -> anyhow::Result<()> {
        match self.uplink.commands.try_recv() { //~ ok(channel)
            Ok(Some(msg)) => self.apply_command(&msg.payload_str()).await?,
            _ => {
                if let Ok(Some(msg)) = self.uplink.commands.recv_timeout(Duration::from_millis(50)) { //~ channel
                    self.apply_command(&msg.payload_str()).await?;
                }
            }
        }
        Ok(())
    }

    async fn apply_command(&self, cmd: &str) -> anyhow::Result<()> {
        let mut parts = cmd.split('=');
        let reg: u16 = parts.next().unwrap_or("0").parse()?;
        let value: u16 = parts.next().unwrap_or("0").parse()?;
        if reg >= 0x4000 {
            self.sync_plc.lock().unwrap().write_setpoint(reg, value)?; //~ net
        } else {
            self.async_plc.lock().await.write_setpoint(reg, value).await?; //~ ok(net)
        }
        if cmd.ends_with("!reload") {
            let raw = std::fs::read_to_string("/etc/plc-gateway.json")?; //~ fs
            let fresh = config::parse_config(&raw)?; //~ ok(fs)
            info!(site = %fresh.site, "reloaded config");
        }
        Ok(())
    }

    async fn persist_state(&self) -> anyhow::Result<()> {
        let snapshot = serde_json::to_vec(&*self.last.lock().unwrap())?; //~ lock
        if self.cfg.state_file.ends_with(".tmp") {
            tokio::fs::write(&self.cfg.state_file, &snapshot).await?; //~ ok(fs)
        } else {
            std::fs::write(&self.cfg.state_file, &snapshot)?; //~ fs
        }
        Ok(())
    }

    async fn shutdown(&self) -> anyhow::Result<()> {
        let bye = json!({ "site": self.cfg.site, "status": "offline" });
        let topic = topic_for(&self.cfg.site, "status");
        futures::executor::block_on(self.async_uplink.publish_json(&topic, &bye))?; //~ block_on
        let cli = self.async_uplink.cli.clone();
        let closer = std::thread::spawn(move || futures::executor::block_on(cli.disconnect(None))); //~ ok(block_on)
        let _ = closer.join(); //~ thread_join
        let msg = paho_mqtt::Message::new(topic.as_str(), "offline", 1);
        self.async_uplink.cli.publish(msg).wait()?; //~ block_on
        tokio::runtime::Handle::current().block_on(self.async_uplink.cli.disconnect(None))?; //~ block_on
        Ok(())
    }
}

/// `plc-gateway diag <addr>`: one-shot diagnostics against a PLC.
pub async fn diagnose(addr: SocketAddr, broker: &str) -> anyhow::Result<()> {
    let mut ctx = tokio_modbus::client::sync::tcp::connect(addr)?; //~ net
    let coils = ctx.read_coils(0, 8)??; //~ net
    info!(?coils, "coils");

    let probe = paho_mqtt::Client::new(create_opts(broker, "plc-diag"))?; //~ ok(net)
    probe.connect(None)?; //~ net
    probe.disconnect(None)?; //~ net

    let pkt = ntp::request("time.cloudflare.com:123").map_err(|e| anyhow::anyhow!("ntp: {e}"))?; //~ net
    info!(stratum = ?pkt.stratum, "ntp reachable");

    let cfg_text = tokio::fs::read_to_string("/etc/plc-gateway.json").await?; //~ ok(fs)
    let cfg = config::parse_config(&cfg_text)?; //~ ok(fs)
    let mut sync_plc = SyncPlc::connect_rtu(cfg.serial_device.as_deref().unwrap_or("/dev/ttyS0"), 19200, 1)?; //~ fs
    let regs = sync_plc.context_mut().read_input_registers(0, 4)??; //~ net
    info!(?regs, "rtu input registers");
    Ok(())
}
