//! Event-sourcing store on embedded databases: events are appended to a sled
//! tree keyed by (stream, sequence), projections live in RocksDB, and
//! subscribers are fed through a crossbeam channel.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crossbeam_channel::{bounded, Receiver, Sender};
use futures::future::BoxFuture;
use futures::Stream;
use rocksdb::{Options, DB};
use serde::{de::DeserializeOwned, Serialize};

pub type Seq = u64;

pub struct EventStore {
    db: sled::Db,
    events: sled::Tree,
    projections: Arc<DB>,
    notify_tx: Sender<(String, Seq)>,
    notify_rx: Receiver<(String, Seq)>,
}

fn key(stream: &str, seq: Seq) -> Vec<u8> {
    let mut k = stream.as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

impl EventStore {
    pub async fn open(dir: &std::path::Path) -> anyhow::Result<Self> {
        let db = sled::open(dir.join("events"))?; //~ miss(db)
        let events = db.open_tree("events")?; //~ miss(db)
        let mut opts = Options::default();
        opts.create_if_missing(true);
        let projections = Arc::new(DB::open(&opts, dir.join("projections"))?); //~ miss(db)
        let (notify_tx, notify_rx) = bounded(1024);
        Ok(Self { db, events, projections, notify_tx, notify_rx })
    }

    pub async fn append<E: Serialize>(&self, stream: &str, event: &E) -> anyhow::Result<Seq> {
        let seq = self.events.len() as Seq; //~ miss(db)
        self.events.insert(key(stream, seq), serde_json::to_vec(event)?)?; //~ miss(db)
        self.notify_tx.send((stream.to_owned(), seq))?; //~ channel
        Ok(seq)
    }

    pub async fn append_durable<E: Serialize>(&self, stream: &str, event: &E) -> anyhow::Result<Seq> {
        let seq = self.append(stream, event).await?;
        self.db.flush_async().await?; //~ ok(db)
        Ok(seq)
    }

    pub async fn checkpoint(&self) -> anyhow::Result<usize> {
        let bytes = self.db.flush()?; //~ miss(db)
        self.projections.flush()?; //~ miss(db)
        Ok(bytes)
    }

    pub async fn load<E: DeserializeOwned>(&self, stream: &str, seq: Seq) -> anyhow::Result<Option<E>> {
        match self.events.get(key(stream, seq))? { //~ miss(db)
            Some(raw) => Ok(Some(serde_json::from_slice(&raw)?)),
            None => Ok(None),
        }
    }

    pub async fn project(&self, name: &str, state: &[u8]) -> anyhow::Result<()> {
        self.projections.put(name.as_bytes(), state)?; //~ miss(db)
        let previous = self.projections.get(format!("{name}:prev"))?; //~ miss(db)
        tracing::debug!(name, had_previous = previous.is_some(), "projection stored");
        Ok(())
    }

    pub async fn next_notification(&self) -> Option<(String, Seq)> {
        if let Ok(n) = self.notify_rx.try_recv() { //~ ok(channel)
            return Some(n);
        }
        self.notify_rx.recv().ok() //~ channel
    }

    pub fn rebuild(&self, name: String) -> BoxFuture<'static, anyhow::Result<u64>> {
        let events = self.events.clone();
        let proj = self.projections.clone();
        Box::pin(async move {
            let mut n = 0u64;
            let mut next = events.first()?; //~ miss(db)
            while let Some((k, v)) = next {
                proj.merge(&k, &v)?; //~ miss(db)
                next = events.get_gt(&k)?; //~ miss(db)
                n += 1;
            }
            proj.put(name.as_bytes(), n.to_be_bytes())?; //~ miss(db)
            Ok(n)
        })
    }

    pub async fn compact_offloaded(&self) -> anyhow::Result<()> {
        let proj = self.projections.clone();
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            proj.compact_range::<&[u8], &[u8]>(None, None); //~ ok(db)
            db.flush() //~ ok(db)
        })
        .await??;
        Ok(())
    }
}

/// Live subscription: yields notifications without blocking the executor.
pub struct Subscription {
    rx: Receiver<(String, Seq)>,
    tree: sled::Tree,
    waker_tx: tokio::sync::mpsc::UnboundedSender<std::task::Waker>,
}

impl Stream for Subscription {
    type Item = (String, Vec<u8>);

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self.rx.try_recv() { //~ ok(channel)
            Ok((stream, seq)) => {
                let raw = self.tree.get(key(&stream, seq)).ok().flatten(); //~ miss(db)
                Poll::Ready(raw.map(|r| (stream, r.to_vec())))
            }
            Err(crossbeam_channel::TryRecvError::Empty) => {
                let _ = self.waker_tx.send(cx.waker().clone()); //~ ok(channel)
                Poll::Pending
            }
            Err(_) => Poll::Ready(None),
        }
    }
}

pub fn replay_to_file(store: &EventStore, path: &std::path::Path) -> anyhow::Result<()> {
    let mut out = std::fs::File::create(path)?; //~ ok(fs)
    for item in store.events.iter() {
        let (_, v) = item?;
        std::io::Write::write_all(&mut out, &v)?; //~ ok(fs)
    }
    Ok(())
}
