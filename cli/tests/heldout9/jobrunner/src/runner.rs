use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
use std::time::Duration;

use rayon::prelude::*;
use rdkafka::consumer::{CommitMode, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseRecord, Producer};
use signal_hook::consts::SIGHUP;
use signal_hook::iterator::Signals;

use crate::compute::{self, Analyzer};
use crate::exec;
use crate::queue::*;
use crate::signals;
use crate::Config;

pub struct Runner {
    cfg: Config,
    queue: Option<FaktoryQueue>,
    bus: EventBus,
    events: EventConsumer,
    analyzer: Analyzer,
    history: Mutex<Vec<(String, bool)>>,
    done_tx: Sender<String>,
    done_rx: Receiver<String>,
}

impl Runner {
    pub fn new(cfg: Config) -> anyhow::Result<Self> {
        let bus = EventBus::new(&cfg.kafka_brokers, &cfg.events_topic)?;
        let events = EventConsumer::new(&cfg.kafka_brokers, &cfg.group_id, "rebuild-requests")?;
        let (done_tx, done_rx) = mpsc::channel();
        Ok(Self { cfg, queue: None, bus, events, analyzer: Analyzer::new(4)?, history: Mutex::default(), done_tx, done_rx })
    }

    fn queue(&mut self) -> &mut FaktoryQueue {
        self.queue.as_mut().expect("preflight not run")
    }

    pub async fn preflight(&mut self) -> anyhow::Result<()> {
        self.queue = Some(FaktoryQueue::connect(&self.cfg.faktory_url)?); //~ net
        let host = self.cfg.kafka_brokers.split(':').next().unwrap_or("localhost").to_string();
        let addrs: Vec<_> = (host.as_str(), 9092).to_socket_addrs()?.collect(); //~ dns
        std::net::TcpStream::connect_timeout(&addrs[0], Duration::from_secs(2))?; //~ net
        let resolved = tokio::net::lookup_host((host.as_str(), 9092)).await?.count(); //~ ok(dns)
        let reachable = tokio::net::TcpStream::connect(addrs[0]).await.is_ok(); //~ ok(net)
        tracing::info!(resolved, reachable, "kafka reachable");
        let md = self.events.base.fetch_metadata(Some(&self.cfg.events_topic), Duration::from_secs(5))?; //~ net
        tracing::info!(topics = md.topics().len(), "kafka metadata");
        std::fs::create_dir_all(&self.cfg.workdir)?; //~ fs
        Ok(())
    }

    pub async fn run(&mut self) -> anyhow::Result<()> {
        loop {
            let queues = self.cfg.queues.clone();
            let handled = self.queue().pull_one(&queues)?; //~ net
            if !handled {
                std::thread::sleep(Duration::from_secs(1)); //~ sleep
            }
            for spec in self.queue().take_inbox() { //~ lock
                self.build(spec).await?;
            }

            if let Some(req) = self.events.next_request(Duration::from_millis(500)) { //~ net
                let spec: JobSpec = serde_json::from_str(&req)?;
                self.queue().push(&spec, "builds")?; //~ net
            }
            match tokio::time::timeout(Duration::from_millis(200), self.events.stream.recv()).await { //~ ok(net)
                Ok(Ok(m)) => tracing::debug!(offset = m.offset(), "stream event"),
                _ => {}
            }
            self.events.base.commit_consumer_state(CommitMode::Async)?; //~ ok(net)

            while let Ok(id) = self.done_rx.try_recv() { //~ ok(channel)
                tracing::debug!(%id, "done");
            }
            if let Ok(id) = self.done_rx.recv_timeout(Duration::from_millis(10)) { //~ channel
                self.bus.emit_async("done", &id).await?; //~ ok(net)
            }
        }
    }

    async fn build(&mut self, spec: JobSpec) -> anyhow::Result<()> {
        let dir = PathBuf::from(&self.cfg.workdir).join(spec.repo.replace('/', "_"));
        exec::checkout(&spec.repo, &dir)?; //~ process
        let out = if spec.kind == "lint" {
            exec::run_shell_async(&spec.command, &dir).await? //~ ok(process)
        } else {
            exec::run_shell(&spec.command, &dir)? //~ process
        };

        let stats = self.analyzer.stats(&out.log); //~ thread_join
        self.analyzer.fire_and_forget(out.log.clone()); //~ ok(thread_join)
        let lines: Vec<String> = out.log.lines().map(String::from).collect();
        let digests = compute::digest_all(&lines); //~ thread_join
        let (longest, total) = rayon::join(|| lines.iter().map(|l| l.len()).max(), || lines.len()); //~ thread_join
        let bytes: usize = lines.par_iter().map(|l| l.len()).sum(); //~ thread_join
        tracing::info!(?stats, digests = digests.len(), ?longest, total, bytes, "build analysed");

        let payload = serde_json::json!({ "repo": spec.repo, "ok": out.ok }).to_string();
        self.bus.emit(&spec.kind, &payload)?; //~ net
        self.bus.sync.send(BaseRecord::to("build-log").key(&spec.repo).payload(&out.log)).map_err(|(e, _)| e)?; //~ ok(net)
        self.bus.sync.poll(Duration::ZERO); //~ ok(net)
        self.history.lock().unwrap().push((spec.repo.clone(), out.ok)); //~ lock

        if spec.kind == "release" {
            let mut child = exec::spawn_detached("./scripts/publish.sh")?;
            let status = child.wait()?; //~ process
            futures_lite::future::block_on(self.bus.emit_async("release", &status.to_string()))?; //~ block_on
        }
        if spec.kind == "nightly" {
            futures::executor::block_on(self.bus.emit_async("nightly", &payload))?; //~ block_on
            let d = dir.clone();
            let cleaner = std::thread::spawn(move || exec::run_shell("make clean", &d)); //~ ok(process)
            let _ = cleaner.join(); //~ thread_join
            let d = dir.clone();
            tokio::task::spawn_blocking(move || exec::run_shell("git gc --auto", &d)).await??; //~ ok(process)
        }
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || handle.block_on(tokio::time::sleep(Duration::from_millis(5)))).await?; //~ ok(block_on)
        let log = out.log.clone();
        let analyzer_stats = tokio::task::spawn_blocking(move || compute::digest_all(&[log])).await?; //~ ok(thread_join)
        tracing::debug!(n = analyzer_stats.len(), "digest");
        let _ = self.done_tx.send(spec.repo);
        Ok(())
    }

    pub async fn drain(&mut self) -> anyhow::Result<()> {
        self.bus.flush()?; //~ net
        self.bus.sync.flush(Duration::from_secs(5))?; //~ net
        self.events.base.commit_consumer_state(CommitMode::Sync)?; //~ net
        let committed = self.events.base.committed(Duration::from_secs(2))?; //~ net
        tracing::info!(partitions = committed.count(), "offsets committed");

        let mut hup = Signals::new([SIGHUP])?; //~ ok(channel)
        let pending: Vec<i32> = hup.pending().collect(); //~ ok(channel)
        let more = signals::drain_pending(&mut hup); //~ ok(channel)
        if pending.is_empty() && more.is_empty() && std::env::var("WAIT_FOR_HUP").is_ok() {
            let sig = hup.wait().next(); //~ channel
            tracing::info!(?sig, "got HUP, draining");
        }

        let job = faktory::Job::new("drained", vec![self.cfg.group_id.clone()]); //~ ok(net)
        let mut p = faktory::Producer::connect(Some(&self.cfg.faktory_url))?; //~ net
        p.enqueue(job)?; //~ net
        let mut cb = faktory::ConsumerBuilder::default();
        cb.register("drain", |_job| -> std::io::Result<()> { Ok(()) });
        let mut consumer = cb.connect(Some(&self.cfg.faktory_url))?; //~ net
        consumer.run(&["drain"])?; //~ net
        Ok(())
    }
}
