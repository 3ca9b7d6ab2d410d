// A message-queue consumer: an AMQP stream feeding a processing stage over
// several channel flavours, with the sync bridges in the wrong places.
use futures::StreamExt;
use lapin::{options::BasicAckOptions, Consumer};
use std::sync::mpsc::{sync_channel, Receiver as StdReceiver, SyncSender};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc, watch};

pub struct Stage {
    input: StdReceiver<Vec<u8>>,
    output: SyncSender<Vec<u8>>,
    events: flume::Receiver<Event>,
    /// Bounded: see `Stage::new`.
    audit: crossbeam_channel::Sender<String>,
    fast: mpsc::UnboundedSender<Event>,
}

pub enum Event {
    Msg(Vec<u8>),
    Stop,
}

pub async fn consume(mut consumer: Consumer, tx: mpsc::Sender<Vec<u8>>) -> lapin::Result<()> {
    while let Some(delivery) = consumer.next().await {
        let delivery = delivery?;
        tx.send(delivery.data.clone()).await.ok(); //~ ok(channel)
        delivery.ack(BasicAckOptions::default()).await?;
    }
    Ok(())
}

impl Stage {
    pub fn new(input: StdReceiver<Vec<u8>>, output: SyncSender<Vec<u8>>, events: flume::Receiver<Event>) -> (Self, crossbeam_channel::Receiver<String>) {
        let (audit, audit_rx) = crossbeam_channel::bounded(1024);
        let (fast, _fast_rx) = mpsc::unbounded_channel();
        (Stage { input, output, events, audit, fast }, audit_rx)
    }

    pub async fn pump(&self) {
        while let Ok(msg) = self.input.recv() { //~ channel
            self.output.send(msg).unwrap(); //~ channel
        }
    }

    pub async fn pump_deadline(&self) -> Option<Vec<u8>> {
        let deadline = Instant::now() + Duration::from_millis(200);
        self.input.recv_timeout(deadline - Instant::now()).ok() //~ channel
    }

    pub async fn poll_once(&self) -> Option<Vec<u8>> {
        let first = self.input.try_recv().ok(); //~ ok(channel)
        self.output.try_send(Vec::new()).ok(); //~ ok(channel)
        first
    }

    pub async fn events(&self) {
        while let Ok(ev) = self.events.recv_async().await { //~ ok(channel)
            if let Event::Stop = ev {
                break;
            }
            self.fast.send(ev).ok(); //~ ok(channel)
        }
        let leftover = self.events.recv(); //~ channel
        drop(leftover);
    }

    pub async fn audit(&self, line: String) {
        self.audit.send(line).ok(); //~ channel
    }
}

pub async fn flume_bridge(n: usize) -> usize {
    let (tx, rx) = flume::bounded::<u32>(n);
    tx.send_async(1).await.unwrap(); //~ ok(channel)
    tx.send(2).unwrap(); //~ channel
    let drained: Vec<u32> = rx.drain().collect(); //~ ok(channel)
    let blocking_one = rx.recv_timeout(Duration::from_millis(5)); //~ channel
    drained.len() + blocking_one.map(|_| 1).unwrap_or(0)
}

/// Drains what is queued without waiting: a 1 ns or 1 ms timeout is a poll.
pub async fn poll_std(rx: std::sync::mpsc::Receiver<u32>) -> u32 {
    let mut sum = 0;
    while let Ok(v) = rx.recv_timeout(Duration::from_nanos(1)) { //~ ok(channel)
        sum += v;
    }
    if let Ok(v) = rx.recv_timeout(Duration::from_millis(1)) { //~ ok(channel)
        sum += v;
    }
    if let Ok(v) = rx.recv_timeout(Duration::from_millis(2)) { //~ channel
        sum += v;
    }
    sum
}

pub async fn crossbeam_unbounded() {
    let (tx, rx) = crossbeam_channel::unbounded::<u64>();
    tx.send(7).unwrap(); //~ ok(channel)
    for v in rx.try_iter() { //~ ok(channel)
        drop(v);
    }
    crossbeam_channel::select! { //~ miss(channel)
        recv(rx) -> msg => drop(msg),
        default(Duration::from_millis(10)) => {}
    }
}

pub async fn fan_in(mut a: broadcast::Receiver<u64>, mut cfg: watch::Receiver<u64>) -> u64 {
    let mut sum = 0;
    loop {
        tokio::select! {
            Ok(v) = a.recv() => sum += v, //~ ok(channel)
            Ok(()) = cfg.changed() => sum += *cfg.borrow(),
            else => break,
        }
    }
    sum
}

pub fn start_bridge(rt: &tokio::runtime::Handle) -> SyncSender<Vec<u8>> {
    let (tx, rx) = sync_channel::<Vec<u8>>(64);
    let (atx, mut arx) = mpsc::channel::<Vec<u8>>(64);
    std::thread::spawn(move || {
        while let Ok(m) = rx.recv() { //~ ok(channel)
            atx.blocking_send(m).ok(); //~ ok(tokio_blocking)
        }
    });
    rt.spawn(async move {
        while let Some(m) = arx.recv().await { //~ ok(channel)
            drop(m);
        }
    });
    tx
}

pub async fn shutdown(tx: SyncSender<Vec<u8>>, stop: std::sync::mpsc::Receiver<()>) {
    tx.send(Vec::new()).ok(); //~ channel
    let _ = stop.recv(); //~ channel
}
