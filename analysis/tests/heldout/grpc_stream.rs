//! Telemetry service over tonic: client-streaming ingest, server-streaming
//! subscriptions, snapshots to disk, and a replay worker fed by crossbeam.

use crossbeam_channel::{bounded, Receiver as CbReceiver, Sender as CbSender};
use futures::Stream;
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{transport::Server, Request, Response, Status, Streaming};

use crate::pb::telemetry_server::{Telemetry, TelemetryServer};
use crate::pb::{Ack, Empty, Event, Filter, Sample, SnapshotReply};

pub struct TelemetryService {
    db: Arc<RwLock<Vec<Sample>>>,
    archive: PathBuf,
    replay_tx: CbSender<Sample>,
    events: flume::Receiver<Event>,
}

impl TelemetryService {
    pub fn new(archive: PathBuf, events: flume::Receiver<Event>) -> (Self, CbReceiver<Sample>) {
        let (replay_tx, replay_rx) = bounded(1024);
        (Self { db: Arc::default(), archive, replay_tx, events }, replay_rx)
    }
}

#[tonic::async_trait]
impl Telemetry for TelemetryService {
    type SubscribeStream = Pin<Box<dyn Stream<Item = Result<Event, Status>> + Send>>;

    async fn record(&self, req: Request<Streaming<Sample>>) -> Result<Response<Ack>, Status> {
        let mut stream = req.into_inner();
        let mut count = 0;
        while let Some(s) = stream.message().await? {
            self.db.write().unwrap().push(s.clone()); //~ lock
            self.replay_tx.send(s).map_err(|_| Status::internal("replay closed"))?; //~ channel
            count += 1;
        }
        Ok(Response::new(Ack { count }))
    }

    async fn subscribe(&self, req: Request<Filter>) -> Result<Response<Self::SubscribeStream>, Status> {
        let filter = req.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let events = self.events.clone();
        tokio::spawn(async move {
            while let Ok(ev) = events.recv_async().await { //~ ok(channel)
                if ev.kind != filter.kind {
                    continue;
                }
                if tx.send(Ok(ev)).await.is_err() { //~ ok(channel)
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn snapshot(&self, _: Request<Empty>) -> Result<Response<SnapshotReply>, Status> {
        let samples = self.db.read().unwrap().clone(); //~ lock
        let path = self.archive.join("snapshot.bin"); //~ ok(thread_join)
        let bytes = bincode::serialize(&samples).map_err(|e| Status::internal(e.to_string()))?;
        tokio::task::block_in_place(|| std::fs::write(&path, &bytes)) //~ ok(fs)
            .map_err(|e| Status::internal(e.to_string()))?;
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0); //~ fs
        Ok(Response::new(SnapshotReply { bytes: size }))
    }

    async fn drain(&self, _: Request<Empty>) -> Result<Response<Ack>, Status> {
        let first = self.events.recv().map_err(|_| Status::unavailable("no events"))?; //~ channel
        let rest: Vec<Event> = self.events.try_iter().collect(); //~ ok(channel)
        tracing::info!(first = ?first.kind, rest = rest.len());
        Ok(Response::new(Ack { count: 1 + rest.len() as u64 }))
    }
}

/// A stream over a flume receiver, written without `recv_async`.
pub struct EventStream {
    rx: flume::Receiver<Event>,
}

impl Stream for EventStream {
    type Item = Event;
    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Event>> {
        Poll::Ready(self.rx.recv().ok()) //~ channel
    }
}

/// Bridges alerts between two tokio channels.
pub async fn forward_alerts(mut rx: tokio::sync::mpsc::Receiver<Event>, tx: tokio::sync::mpsc::Sender<Event>) {
    if let Some(first) = rx.blocking_recv() { //~ tokio_blocking
        tx.blocking_send(first).ok(); //~ tokio_blocking
    }
    while let Some(ev) = rx.recv().await { //~ ok(channel)
        tx.send(ev).await.ok(); //~ ok(channel)
    }
}

fn replay_worker(rx: CbReceiver<Sample>, out: PathBuf) {
    std::thread::spawn(move || {
        let mut f = std::fs::File::create(out).unwrap(); //~ ok(fs)
        while let Ok(s) = rx.recv() { //~ ok(channel)
            bincode::serialize_into(&mut f, &s).ok();
        }
    });
}

pub async fn run(listen: &str, archive: PathBuf) -> anyhow::Result<()> {
    let addr = listen.to_socket_addrs()?.next().unwrap(); //~ dns
    let also = tokio::net::lookup_host("localhost:50052").await?.next(); //~ ok(dns)
    tracing::info!(?addr, ?also, "listening");
    let (ev_tx, ev_rx) = flume::unbounded();
    let (svc, replay_rx) = TelemetryService::new(archive.clone(), ev_rx);
    replay_worker(replay_rx, archive.join("replay.bin"));
    ev_tx.send(Event::default()).ok(); //~ ok(channel)
    Server::builder().add_service(TelemetryServer::new(svc)).serve(addr).await?;
    Ok(())
}
