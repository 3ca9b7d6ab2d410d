// A file-syncing daemon: a notify watcher feeds events into an async loop
// that mirrors a source tree into a backup directory.
use notify::{Event, RecursiveMode, Watcher};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An in-memory file system used by the dry-run mode. Shadows `std::fs`.
mod fs {
    use std::collections::HashMap;
    pub struct MemFs(pub HashMap<String, Vec<u8>>);
    pub fn read(m: &MemFs, p: &str) -> Option<Vec<u8>> {
        m.0.get(p).cloned()
    }
    pub fn write(m: &mut MemFs, p: &str, data: Vec<u8>) {
        m.0.insert(p.to_owned(), data);
    }
}

pub struct Daemon {
    src: PathBuf,
    dst: PathBuf,
    dry: Option<fs::MemFs>,
}

pub fn start_watcher(src: &Path) -> notify::Result<(notify::RecommendedWatcher, tokio::sync::mpsc::Receiver<Event>)> {
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
        if let Ok(ev) = res {
            tx.blocking_send(ev).ok(); //~ ok(tokio_blocking)
        }
    })?;
    watcher.watch(src, RecursiveMode::Recursive)?;
    Ok((watcher, rx))
}

impl Daemon {
    pub async fn run(&mut self, mut events: tokio::sync::mpsc::Receiver<Event>) {
        while let Some(ev) = events.recv().await { //~ ok(channel)
            for path in ev.paths {
                self.mirror(&path).await;
            }
        }
    }

    async fn mirror(&mut self, path: &Path) {
        let rel = path.strip_prefix(&self.src).unwrap_or(path);
        let target = self.dst.join(rel); //~ ok(thread_join)
        if let Some(mem) = self.dry.as_mut() {
            let data = fs::read(mem, &rel.to_string_lossy()).unwrap_or_default(); //~ ok(fs)
            fs::write(mem, &target.to_string_lossy(), data); //~ ok(fs)
            return;
        }
        if !path.exists() { //~ fs
            std::fs::remove_file(&target).ok(); //~ fs
            return;
        }
        if path.is_dir() { //~ fs
            tokio::fs::create_dir_all(&target).await.ok(); //~ ok(fs)
            return;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).ok(); //~ fs
        }
        let tmp = target.with_extension("partial");
        if std::fs::copy(path, &tmp).is_ok() { //~ fs
            tokio::fs::rename(&tmp, &target).await.ok(); //~ ok(fs)
        }
    }

    pub async fn checksum(&self, path: &Path) -> std::io::Result<u64> {
        let file = std::fs::File::open(path)?; //~ fs
        let mut reader = BufReader::new(file);
        let mut buf = [0u8; 8192];
        let mut sum = 0u64;
        loop {
            let n = reader.read(&mut buf)?; //~ fs
            if n == 0 {
                break;
            }
            sum = buf[..n].iter().fold(sum, |a, b| a.wrapping_mul(31).wrapping_add(*b as u64));
        }
        Ok(sum)
    }

    pub async fn full_scan(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(&self.src) { //~ fs
            if let Ok(e) = entry {
                out.push(e.into_path());
            }
        }
        let mut dir = tokio::fs::read_dir(&self.dst).await.unwrap(); //~ ok(fs)
        while let Ok(Some(e)) = dir.next_entry().await {
            let meta = e.metadata().await; //~ ok(fs)
            drop(meta);
        }
        for e in std::fs::read_dir(&self.dst).into_iter().flatten().flatten() { //~ fs
            let meta = e.metadata(); //~ miss(fs)
            drop(meta);
        }
        out
    }

    pub async fn fsync_marker(&self) -> std::io::Result<()> {
        let marker = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dst.join(".synced"))?; //~ fs
        marker.sync_all()?; //~ fs
        let age = std::fs::metadata(self.dst.join(".synced"))?.modified()?; //~ fs
        let _ = age.elapsed();
        Ok(())
    }

    pub async fn debounce(&self, rx: std::sync::mpsc::Receiver<Event>) -> Vec<Event> {
        let mut batch = Vec::new();
        while let Ok(ev) = rx.recv_timeout(Duration::from_millis(50)) { //~ channel
            batch.push(ev);
        }
        batch
    }
}

pub async fn offloaded_copy(from: PathBuf, to: PathBuf) -> std::io::Result<u64> {
    let task = move || std::fs::copy(&from, &to); //~ ok(fs)
    tokio::task::spawn_blocking(task).await.unwrap()
}
