//! A small Raft-flavoured replicated key-value store: a persistent log on
//! disk, leader election on timers, and append-entries over TCP.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::sync::{Arc, Barrier, Condvar, Mutex, RwLock};
use std::time::Duration;

use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Mutex as AsyncMutex, Notify};

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    term: u64,
    key: String,
    value: Vec<u8>,
}

pub struct Log {
    file: File,
    entries: Vec<Entry>,
}

pub struct Node {
    id: u64,
    state: RwLock<BTreeMap<String, Vec<u8>>>,
    log: AsyncMutex<Log>,
    wal: Mutex<BufWriter<File>>,
    commit: (Mutex<u64>, Condvar),
    applied: Notify,
    peers: Vec<String>,
    startup: Arc<Barrier>,
}

impl Log {
    pub fn open(path: &str) -> std::io::Result<Log> {
        let mut file = OpenOptions::new().create(true).read(true).append(true).open(path)?; //~ ok(fs)
        let mut buf = Vec::new();
        file.read_to_end(&mut buf)?; //~ ok(fs)
        let entries = bincode::deserialize(&buf).unwrap_or_default();
        Ok(Log { file, entries })
    }
}

impl Node {
    pub async fn append(&self, term: u64, key: String, value: Vec<u8>) -> anyhow::Result<u64> {
        let mut log = self.log.lock().await; //~ ok(lock)
        let entry = Entry { term, key, value };
        let bytes = bincode::serialize(&entry)?;
        log.file.write_all(&bytes)?; //~ miss(fs)
        log.file.sync_data()?; //~ miss(fs)
        log.entries.push(entry);
        Ok(log.entries.len() as u64)
    }

    pub async fn wal_note(&self, note: &str) -> std::io::Result<()> {
        let mut wal = self.wal.lock().unwrap(); //~ lock
        writeln!(wal, "{note}")?; //~ fs
        wal.flush() //~ miss(fs)
    }

    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        let state = self.state.read().unwrap(); //~ lock
        state.get(key).cloned()
    }

    pub async fn apply_committed(&self, upto: usize) {
        let log = self.log.lock().await; //~ ok(lock)
        let mut state = self.state.write().unwrap(); //~ lock
        for e in log.entries.iter().take(upto) {
            state.insert(e.key.clone(), e.value.clone());
        }
        drop(state);
        self.applied.notify_waiters();
    }

    pub async fn wait_for_commit(&self, index: u64) {
        let (lock, cvar) = &self.commit;
        let mut committed = lock.lock().unwrap(); //~ lock
        while *committed < index {
            committed = cvar.wait(committed).unwrap(); //~ thread_join
        }
    }

    pub async fn wait_applied(&self) {
        self.applied.notified().await; //~ ok(thread_join)
    }

    pub async fn send_append_entries(&self, peer: &str, entries: &[Entry]) -> anyhow::Result<bool> {
        let mut stream = TcpStream::connect(peer).await?; //~ ok(net)
        let payload = bincode::serialize(&(self.id, entries))?;
        stream.write_u32(payload.len() as u32).await?; //~ ok(net)
        stream.write_all(&payload).await?; //~ ok(net)
        let ack = stream.read_u8().await?; //~ ok(net)
        Ok(ack == 1)
    }

    pub async fn probe_peer(&self, peer: &str) -> bool {
        match std::net::TcpStream::connect_timeout(&peer.parse().unwrap(), Duration::from_millis(100)) { //~ net
            Ok(mut s) => s.write_all(b"ping").is_ok(), //~ net
            Err(_) => false,
        }
    }

    pub async fn election_timeout(&self) -> Duration {
        let ms = rand::thread_rng().gen_range(150..300);
        let timeout = Duration::from_millis(ms);
        tokio::time::sleep(timeout).await; //~ ok(sleep)
        timeout
    }

    pub async fn join_cluster(&self) {
        self.startup.wait(); //~ thread_join
        let sync_barrier = tokio::sync::Barrier::new(self.peers.len());
        sync_barrier.wait().await; //~ ok(thread_join)
    }

    pub async fn snapshot(&self, path: &str) -> anyhow::Result<()> {
        let state = self.state.read().unwrap().clone(); //~ lock
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut f = File::create(&path)?; //~ ok(fs)
            f.write_all(&bincode::serialize(&state)?)?; //~ ok(fs)
            f.sync_all()?; //~ ok(fs)
            Ok::<_, anyhow::Error>(())
        })
        .await??;
        Ok(())
    }

    pub async fn compact(&self, keep_from: u64) -> std::io::Result<()> {
        let mut log = self.log.lock().await; //~ ok(lock)
        log.file.set_len(keep_from)?; //~ miss(fs)
        log.file.flush() //~ ok(fs)
    }
}
