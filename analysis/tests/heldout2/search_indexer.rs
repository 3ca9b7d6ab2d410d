//! Full-text search indexer: documents arrive over a crossbeam channel from
//! the ingest threads, get indexed with tantivy (a synchronous library), and
//! are searched from async HTTP handlers.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{bounded, Receiver, Sender};
use parking_lot::{Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, STORED, TEXT};
use tantivy::{doc, Index, IndexReader, IndexWriter};

pub struct Doc {
    pub url: String,
    pub body: String,
}

pub struct SearchService {
    index: Index,
    reader: IndexReader,
    writer: Arc<Mutex<IndexWriter>>,
    queue: Receiver<Doc>,
    feed: Sender<Doc>,
    dir: PathBuf,
    stats: RwLock<(u64, u64)>,
}

pub fn open(dir: PathBuf) -> tantivy::Result<SearchService> {
    let mut sb = Schema::builder();
    sb.add_text_field("url", TEXT | STORED);
    sb.add_text_field("body", TEXT);
    let index = Index::open_or_create(tantivy::directory::MmapDirectory::open(&dir)?, sb.build())?; //~ ok(fs)
    let writer = index.writer(50_000_000)?;
    let reader = index.reader()?;
    let (feed, queue) = bounded(1024);
    Ok(SearchService { index, reader, writer: Arc::new(Mutex::new(writer)), queue, feed, dir, stats: RwLock::new((0, 0)) })
}

impl SearchService {
    pub async fn submit(&self, d: Doc) {
        self.feed.send(d).expect("indexer alive"); //~ channel
    }

    pub async fn try_submit(&self, d: Doc) -> bool {
        self.feed.try_send(d).is_ok() //~ ok(channel)
    }

    pub async fn index_pending(self: Arc<Self>) -> tantivy::Result<usize> {
        let schema = self.index.schema();
        let url = schema.get_field("url").unwrap(); //~ ok(db)
        let body = schema.get_field("body").unwrap(); //~ ok(db)
        let mut n = 0;
        while let Ok(d) = self.queue.recv_timeout(Duration::from_millis(5)) { //~ channel
            let w = self.writer.lock(); //~ lock
            w.add_document(doc!(url => d.url, body => d.body))?;
            n += 1;
        }
        let me = Arc::clone(&self);
        tokio::task::spawn_blocking(move || {
            let mut w = me.writer.lock(); //~ ok(lock)
            w.commit() //~ ok(fs)
        })
        .await
        .expect("commit task")?;
        self.stats.write().0 += n as u64; //~ lock
        Ok(n)
    }

    pub async fn commit_now(&self) -> tantivy::Result<()> {
        let mut w = self.writer.lock(); //~ lock
        w.commit()?; //~ fs
        self.reader.reload()?; //~ fs
        Ok(())
    }

    pub async fn search(&self, q: &str, limit: usize) -> tantivy::Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let schema = self.index.schema();
        let url = schema.get_field("url").unwrap(); //~ ok(db)
        let parser = QueryParser::for_index(&self.index, vec![schema.get_field("body").unwrap()]); //~ ok(db)
        let query = parser.parse_query(q)?;
        let top = searcher.search(&query, &TopDocs::with_limit(limit))?;
        let mut urls = Vec::with_capacity(top.len());
        for (_score, addr) in top {
            let d: tantivy::TantivyDocument = searcher.doc(addr)?;
            if let Some(v) = d.get_first(url) {
                urls.push(format!("{v:?}"));
            }
        }
        self.stats.write().1 += 1; //~ lock
        Ok(urls)
    }

    pub async fn stats(&self) -> (u64, u64) {
        let s = self.stats.try_read(); //~ ok(lock)
        s.map(|g| *g).unwrap_or_default()
    }

    pub async fn index_size(&self) -> u64 {
        let mut total = 0;
        let mut rd = tokio::fs::read_dir(&self.dir).await.unwrap(); //~ ok(fs)
        while let Ok(Some(e)) = rd.next_entry().await {
            total += e.metadata().await.map(|m| m.len()).unwrap_or(0); //~ ok(fs)
        }
        total
    }

    pub async fn segment_files(&self) -> Vec<PathBuf> {
        std::fs::read_dir(&self.dir) //~ fs
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().map_or(false, |x| x == "idx"))
            .collect()
    }
}

pub fn ingest_thread(svc: Arc<SearchService>, files: Receiver<PathBuf>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for path in files.iter() { //~ ok(channel)
            if let Ok(body) = std::fs::read_to_string(&path) { //~ ok(fs)
                let _ = svc.feed.send(Doc { url: path.display().to_string(), body }); //~ ok(channel)
            }
        }
    })
}

pub async fn shutdown(handle: std::thread::JoinHandle<()>, svc: Arc<SearchService>) {
    drop(svc);
    handle.join().ok(); //~ thread_join
}
