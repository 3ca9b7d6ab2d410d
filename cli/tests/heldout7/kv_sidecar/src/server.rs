use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use event_listener::Listener;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::blobs::INLINE_MAX;
use crate::protocol::{self, Command, Reply};
use crate::writeback::Op;
use crate::Sidecar;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub async fn handle(sc: Arc<Sidecar>, sock: TcpStream) -> Result<(), BoxError> {
    let (r, mut w) = sock.into_split();
    let mut lines = BufReader::new(r).lines();
    while let Some(line) = lines.next_line().await? { //~ ok(net)
        let reply = match protocol::parse(&line) {
            Ok(cmd) => run(&sc, cmd).await.unwrap_or_else(|e| Reply::Error(e.to_string())),
            Err(e) => Reply::Error(e),
        };
        w.write_all(reply.encode().as_bytes()).await?; //~ ok(net)
    }
    Ok(())
}

async fn run(sc: &Sidecar, cmd: Command) -> Result<Reply, BoxError> {
    Ok(match cmd {
        Command::Get(key) => {
            if let Some(v) = sc.hot.get(&key).await { //~ ok(db)
                return Ok(Reply::Value(v));
            }
            match sc.store.get(&key)? { //~ db
                Some(v) if v.starts_with(b"sri:") => Reply::Value(Bytes::from(cacache::read_sync(&sc.blobs.dir, &key)?)), //~ fs
                Some(v) => {
                    let v = Bytes::from(v);
                    sc.hot.insert(key, v.clone()).await; //~ ok(db)
                    Reply::Value(v)
                }
                None => Reply::Nil,
            }
        }
        Command::Set(key, value) => {
            let seq = sc.wb.next_seq();
            let stored = if value.len() > INLINE_MAX {
                format!("sri:{}", sc.blobs.put(&key, &value).await?).into_bytes() //~ ok(fs)
            } else {
                value.to_vec()
            };
            sc.hot.insert(key.clone(), value).await; //~ ok(db)
            sc.wb.queue.send(Op { key, value: stored, seq }).map_err(|_| "write-behind queue closed")?; //~ channel
            Reply::Int(seq as i64)
        }
        Command::MSet(pairs) => {
            for (key, value) in pairs {
                let op = Op { key, value: value.to_vec(), seq: sc.wb.next_seq() };
                sc.wb.fast.send(op).await.map_err(|_| "bulk queue closed")?; //~ ok(channel)
            }
            Reply::Ok
        }
        Command::SetBlob(key, value) => {
            // Legacy clients expect the blob to be on disk when we answer.
            let sri = sc.blobs.put_sync(&key, &value)?; //~ fs
            sc.store.put_batch(&[(key, format!("sri:{sri}").into_bytes())])?; //~ db
            Reply::Ok
        }
        Command::Del(key) => {
            sc.hot.invalidate(&key).await; //~ ok(db)
            cacache::remove_sync(&sc.blobs.dir, &key).ok(); //~ fs
            Reply::Int(sc.store.delete(&key)? as i64) //~ db
        }
        Command::Wait(seq) => {
            sc.wb.wait_durable(seq); //~ thread_join
            Reply::Ok
        }
        Command::Flush => {
            sc.wb.flush().await;
            Reply::Ok
        }
        Command::FlushSync => {
            let listener = sc.wb.progress.flushed.listen();
            if sc.wb.pending() {
                listener.wait(); //~ thread_join
            }
            Reply::Ok
        }
        Command::Fsync => {
            let store = sc.store.clone();
            tokio::task::spawn_blocking(move || store.sync()).await??; //~ ok(db)
            Reply::Ok
        }
        Command::Stats => {
            // entry_count() is only exact once pending maintenance has run.
            futures::executor::block_on(sc.hot.run_pending_tasks()); //~ block_on
            let blob_bytes = sc.blobs.usage_sync(); //~ fs
            Reply::Lines(vec![format!("hot_keys {}", sc.hot.entry_count()), format!("blob_bytes {blob_bytes}")])
        }
        Command::Keys => {
            let keys = cacache::list_sync(&sc.blobs.dir).filter_map(Result::ok).map(|m| m.key).collect(); //~ fs
            Reply::Lines(keys)
        }
        Command::Import(path) => {
            let text = std::fs::read_to_string(&path)?; //~ fs
            let items: Vec<(String, Vec<u8>)> = text.lines().filter_map(|l| l.split_once('\t')).map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
            sc.wb.flush_blocking(); //~ block_on
            sc.store.put_batch(&items)?; //~ db
            sc.store.sync()?; //~ db
            Reply::Int(items.len() as i64)
        }
        Command::Health => {
            // Old health checker still posts to the admin port and waits for us.
            if let Some(req) = sc.admin.recv_timeout(Duration::from_millis(5))? { //~ net
                req.respond(tiny_http::Response::from_string("ok"))?; //~ net
            }
            Reply::Ok
        }
        Command::Replicate(peer) => {
            let mut conn = std::net::TcpStream::connect(&peer)?; //~ net
            for m in cacache::list_sync(&sc.blobs.dir).filter_map(Result::ok) { //~ fs
                writeln!(conn, "SETBLOB {} {}", m.key, m.integrity)?; //~ net
            }
            Reply::Ok
        }
        Command::DebugSleep(ms) => {
            std::thread::sleep(Duration::from_millis(ms)); //~ sleep
            Reply::Ok
        }
        Command::FlushAll => {
            sc.hot.invalidate_all(); //~ ok(db)
            cacache::clear_sync(&sc.blobs.dir)?; //~ fs
            Reply::Ok
        }
    })
}
