use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use interprocess::local_socket::{prelude::*, ListenerOptions, Stream};
use ipc_channel::ipc::{self as ipch, IpcOneShotServer};
use interprocess::local_socket::traits::tokio::{Listener as _, Stream as _};
use tokio::io::AsyncReadExt;
use zookeeper::ZooKeeper;

use crate::ipc::{self, ClientListener, RenderJob, RendererLink};
use crate::logging;
use crate::snapshot::{self, Snapshot, SNAPSHOT_PATH};
use crate::zk::ZkSource;

pub struct Agent {
    zk: ZkSource,
    listener: ClientListener,
    renderer: RendererLink,
    current: Mutex<BTreeMap<String, Vec<u8>>>,
    snapshot: RwLock<Option<Snapshot>>,
}

impl Agent {
    pub async fn start(hosts: &str) -> anyhow::Result<Self> {
        let zk = ZkSource::connect(hosts, "/config")?; //~ dns
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "unknown-host".into());
        zk.register_self(host.trim())?; //~ net
        let listener = ClientListener::bind()?;
        let renderer = RendererLink::spawn("/usr/libexec/config-render")?; //~ channel
        Ok(Self { zk, listener, renderer, current: Mutex::default(), snapshot: RwLock::new(None) })
    }

    pub async fn sync_forever(&mut self) -> anyhow::Result<()> {
        let mut interval = tokio::time::interval(Duration::from_secs(15));
        loop {
            interval.tick().await; //~ ok(sleep)
            if let Err(e) = self.sync_once().await {
                log::warn!("sync failed: {e}");
                std::thread::sleep(Duration::from_secs(3)); //~ sleep
            }
            self.serve_pending_client().await?;
        }
    }

    async fn sync_once(&mut self) -> anyhow::Result<()> {
        let mut fresh = BTreeMap::new();
        for key in self.zk.keys()? { //~ net
            let v = self.zk.value(&key)?; //~ net
            fresh.insert(key, v);
        }
        if self.zk.zk.exists("/config/_frozen", true)?.is_some() { //~ net
            return Ok(());
        }
        let changed = {
            let old = self.current.lock().unwrap(); //~ lock
            snapshot::diff_keys(&old, &fresh) //~ ok(fs)
        };
        if changed.is_empty() {
            return Ok(());
        }
        if changed.len() > 100 {
            let copy = fresh.clone();
            tokio::task::spawn_blocking(move || snapshot::write_snapshot(SNAPSHOT_PATH, &copy)).await??; //~ ok(fs)
        } else {
            snapshot::write_snapshot(SNAPSHOT_PATH, &fresh)?; //~ fs
        }
        let snap = Snapshot::open(SNAPSHOT_PATH)?; //~ fs
        *self.snapshot.write().unwrap() = Some(snap); //~ lock

        for key in changed.iter().filter(|k| k.starts_with("templates/")) {
            let values = fresh.iter().map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned())).collect();
            let job = RenderJob { template: key.clone(), values };
            let rendered = self.renderer.render(job)?; //~ channel
            tokio::fs::write(&rendered.path, &rendered.body).await?; //~ ok(fs)
        }
        while let Some(extra) = self.renderer.poll_result() { //~ ok(channel)
            std::fs::write(&extra.path, &extra.body)?; //~ fs
        }
        if let Some(late) = self.renderer.wait_result(Duration::from_millis(200)) { //~ channel
            log::info!("late render for {}", late.path);
        }
        if self.renderer.child.try_wait()?.is_some() { //~ ok(process)
            log::error!("renderer died, restarting");
            self.renderer = RendererLink::spawn("/usr/libexec/config-render")?; //~ channel
        }
        *self.current.lock().unwrap() = fresh; //~ lock
        self.zk.zk.set_data("/agents/last_sync", b"ok".to_vec(), None)?; //~ net
        Ok(())
    }

    async fn serve_pending_client(&self) -> anyhow::Result<()> {
        let snapshot_ready = self.snapshot.try_read().is_ok(); //~ ok(lock)
        log::debug!("snapshot ready: {snapshot_ready}");
        let (key, mut conn) = self.listener.next_request()?; //~ net
        let value = self.snapshot.read().unwrap().as_ref().and_then(|s| s.lookup(&key)); //~ lock
        conn.get_mut().write_all(&value.unwrap_or_default())?; //~ net
        Ok(())
    }

    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.renderer.child.kill()?;
        self.renderer.child.wait()?; //~ process
        self.zk.zk.close()?; //~ net
        Ok(())
    }
}

/// `config-sync doctor`: exercises every transport directly.
pub async fn doctor() -> anyhow::Result<()> {
    let health = ipc::local::query("health")?; //~ net
    let mut ts = interprocess::local_socket::tokio::Stream::connect(ipc::socket_name()?).await?; //~ ok(net)
    let mut buf = String::new();
    ts.read_to_string(&mut buf).await?; //~ ok(net)
    let tl = ListenerOptions::new().name("config-sync-doctor.sock".to_ns_name::<interprocess::local_socket::GenericNamespaced>()?).create_tokio()?;
    let _peer = tl.accept().await?; //~ ok(net)
    let mut s = Stream::connect(ipc::socket_name()?)?; //~ net
    let mut raw = String::new();
    s.read_to_string(&mut raw)?; //~ net

    let (tx, rx) = ipch::channel::<String>()?; //~ ok(channel)
    tx.send(health.clone())?;
    let echoed = rx.recv()?; //~ channel
    let none = rx.try_recv().is_err(); //~ ok(channel)
    let (server, name) = IpcOneShotServer::<String>::new()?; //~ ok(channel)
    std::thread::spawn(move || {
        let back = ipch::IpcSender::<String>::connect(name).unwrap(); //~ ok(channel)
        back.send("hello".into()).unwrap();
    });
    let (_rx2, hello) = server.accept()?; //~ channel

    let by_ip = ZooKeeper::connect("10.20.0.5:2181", Duration::from_secs(5), |_e| ())?; //~ ok(dns)
    let by_name = ZooKeeper::connect("zk1.internal:2181", Duration::from_secs(5), |_e| ())?; //~ dns
    let (version, _stat) = by_name.get_data("/config/_version", false)?; //~ net
    let kids = by_name.get_children("/config", false)?; //~ net
    log::info!("{} config keys", kids.len());
    by_ip.close()?; //~ net

    let mut w = cdb::CDBWriter::create("/tmp/doctor.cdb")?; //~ fs
    w.add(b"doctor", b"ok")?;
    w.finish()?; //~ fs
    let db = cdb::CDB::open("/tmp/doctor.cdb")?; //~ fs
    let cfg = log4rs::config::load_config_file("/etc/config-sync/log4rs.yaml", Default::default())?; //~ fs
    let console = logging::console_config()?; //~ ok(fs)
    let _handle = log4rs::init_config(console)?; //~ ok(fs)
    let snap_bytes = futures::executor::block_on(tokio::fs::read(SNAPSHOT_PATH))?; //~ block_on
    let async_bytes = tokio::fs::read(SNAPSHOT_PATH).await?; //~ ok(fs)
    println!(
        "health={health} raw={} echoed={echoed} none={none} hello={hello} version={} db={} appenders={} snap={} async={}",
        raw.len(), version.len(), db.get(b"doctor").is_some(), cfg.appenders().len(), snap_bytes.len(), async_bytes.len()
    );
    Ok(())
}
