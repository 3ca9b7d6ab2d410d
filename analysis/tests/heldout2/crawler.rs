//! Polite web crawler: a frontier shared through flume channels, per-host
//! robots.txt rules, and pages written to a WARC-like directory.

use std::collections::{HashMap, HashSet};
use std::net::ToSocketAddrs as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use flume::{Receiver, Sender};
use parking_lot::Mutex;
use tokio::io::AsyncWriteExt;
use url::Url;

pub struct Frontier {
    seen: Mutex<HashSet<String>>,
    tx: Sender<Url>,
    rx: Receiver<Url>,
}

pub struct Robots {
    rules: tokio::sync::RwLock<HashMap<String, Vec<String>>>,
    agent: ureq::Agent,
}

impl Robots {
    pub async fn allowed(&self, url: &Url) -> bool {
        let host = url.host_str().unwrap_or_default().to_owned();
        if let Some(dis) = self.rules.read().await.get(&host) { //~ ok(lock)
            return !dis.iter().any(|d| url.path().starts_with(d.as_str()));
        }
        let robots = format!("{}://{}/robots.txt", url.scheme(), host);
        let body = match self.agent.get(&robots).call() { //~ http_blocking
            Ok(r) => r.into_string().unwrap_or_default(), //~ http_blocking
            Err(_) => String::new(),
        };
        let dis: Vec<String> = body
            .lines()
            .filter_map(|l| l.strip_prefix("Disallow:"))
            .map(|s| s.trim().to_owned())
            .collect();
        let ok = !dis.iter().any(|d| url.path().starts_with(d.as_str()));
        self.rules.write().await.insert(host, dis); //~ ok(lock)
        ok
    }
}

impl Frontier {
    pub fn new(capacity: usize) -> Self {
        let (tx, rx) = flume::bounded(capacity);
        Frontier { seen: Mutex::new(HashSet::new()), tx, rx }
    }

    pub async fn push(&self, u: Url) {
        if self.seen.lock().insert(u.to_string()) { //~ lock
            self.tx.send_async(u).await.ok(); //~ ok(channel)
        }
    }

    pub async fn push_now(&self, u: Url) {
        self.tx.send(u).ok(); //~ channel
    }

    pub async fn next(&self, idle: Duration) -> Option<Url> {
        tokio::select! {
            u = self.rx.recv_async() => u.ok(), //~ ok(channel)
            _ = tokio::time::sleep(idle) => None, //~ ok(sleep)
        }
    }

    pub async fn next_or_wait(&self) -> Option<Url> {
        match self.rx.try_recv() { //~ ok(channel)
            Ok(u) => Some(u),
            Err(_) => self.rx.recv().ok(), //~ channel
        }
    }
}

pub struct Crawler {
    frontier: Arc<Frontier>,
    robots: Arc<Robots>,
    client: reqwest::Client,
    out: PathBuf,
    last_hit: Mutex<HashMap<String, Instant>>,
}

impl Crawler {
    async fn politeness(&self, host: &str) {
        let wait = {
            let mut last = self.last_hit.lock(); //~ lock
            let prev = last.insert(host.to_owned(), Instant::now());
            prev.map(|t| Duration::from_secs(1).saturating_sub(t.elapsed()))
        };
        if let Some(w) = wait {
            std::thread::sleep(w); //~ sleep
        }
    }

    pub async fn fetch_one(&self, url: Url) -> anyhow::Result<()> {
        if !self.robots.allowed(&url).await {
            return Ok(());
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        let port = url.port_or_known_default().unwrap_or(80);
        if (host.as_str(), port).to_socket_addrs()?.next().is_none() { //~ dns
            return Ok(());
        }
        self.politeness(&host).await;
        let (page, _) = tokio::join!(
            self.client.get(url.as_str()).send(), //~ ok(http_blocking)
            tokio::time::sleep(Duration::from_millis(10)), //~ ok(sleep)
        );
        let body = page?.text().await?;
        let name = format!("{:x}.html", md5::compute(url.as_str()));
        let mut f = tokio::fs::File::create(self.out.join(name)).await?; //~ ok(fs)
        f.write_all(body.as_bytes()).await?; //~ ok(fs)
        for link in extract_links(&url, &body) {
            self.frontier.push(link).await;
        }
        Ok(())
    }

    pub async fn run(self: Arc<Self>, workers: usize) {
        let mut handles = Vec::new();
        for _ in 0..workers {
            let me = self.clone();
            handles.push(tokio::spawn(async move {
                while let Some(u) = me.frontier.next(Duration::from_secs(5)).await {
                    if let Err(e) = me.fetch_one(u).await {
                        tracing::debug!(%e, "fetch failed");
                    }
                }
            }));
        }
        for h in handles {
            h.await.ok(); //~ ok(thread_join)
        }
        let pages = std::fs::read_dir(&self.out).map(|d| d.count()).unwrap_or(0); //~ fs
        tracing::info!(pages, "crawl finished");
    }
}

fn extract_links(base: &Url, html: &str) -> Vec<Url> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter_map(|h| base.join(h).ok()) //~ ok(thread_join)
        .collect()
}
