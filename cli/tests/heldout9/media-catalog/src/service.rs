use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{self, StreamExt};

use crate::catalog::{Catalog, Entry};
use crate::meta::{self as hashing, audio, photo, video::VideoFile, MediaInfo};
use crate::scan::{self, Kind};

pub struct Service {
    root: PathBuf,
    catalog: Arc<Catalog>,
}

impl Service {
    pub fn new(root: PathBuf, catalog: Arc<Catalog>) -> Self {
        Self { root, catalog }
    }

    pub async fn initial_scan(&self) -> anyhow::Result<()> {
        let files = scan::list_media(&self.root)?; //~ fs
        tracing::info!(n = files.len(), "initial scan");
        let results: Vec<_> = stream::iter(files)
            .map(|p| self.index_file(p))
            .buffer_unordered(4)
            .collect()
            .await;
        let failed = results.iter().filter(|r| r.is_err()).count();
        tracing::info!(failed, "initial scan done");
        self.catalog.save()?; //~ fs
        Ok(())
    }

    async fn index_file(&self, path: PathBuf) -> anyhow::Result<()> {
        let kind = scan::kind_of(&path); //~ ok(fs)
        let hash = hashing::content_hash(&path)?; //~ fs
        if self.catalog.entries.read().unwrap().contains_key(&hash) { //~ lock
            return Ok(());
        }
        let info = match kind {
            Kind::Audio => audio::flac_info(&path)?, //~ fs
            Kind::Photo => photo::exif_info(&path)?, //~ fs
            Kind::Video => {
                let mut v = VideoFile::open(&path)?; //~ fs
                let poster = v.first_sample()?; //~ fs
                if let Some(frame) = poster {
                    tokio::fs::write(path.with_extension("poster.h264"), frame).await?; //~ ok(fs)
                }
                v.info() //~ ok(fs)
            }
            Kind::Other => MediaInfo::default(),
        };
        self.catalog.upsert(Entry { path: path.clone(), kind, hash, info }); //~ lock
        Ok(())
    }

    pub async fn watch_loop(&self) -> anyhow::Result<()> {
        let mut last_count = 0usize;
        loop {
            tokio::time::sleep(Duration::from_secs(30)).await; //~ ok(sleep)
            let files = {
                let root = self.root.clone();
                tokio::task::spawn_blocking(move || scan::list_media(&root)).await?? //~ ok(fs)
            };
            if files.len() != last_count {
                for p in files.iter().skip(last_count) {
                    self.index_file(p.clone()).await.ok();
                }
                last_count = files.len();
                let cat = self.catalog.clone();
                tokio::task::spawn_blocking(move || cat.save()).await??; //~ ok(fs)
            }
            let dirty = self.catalog.dirty.lock().unwrap(); //~ lock
            if *dirty {
                let (_guard, res) = self.catalog.flushed.wait_timeout(dirty, Duration::from_secs(5)).unwrap(); //~ lock
                tracing::debug!(timed_out = res.timed_out(), "flush wait");
            }
        }
    }

    /// Handles a file uploaded through the API: bytes are already in memory.
    pub async fn ingest_upload(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<Entry> {
        let path = self.root.join("uploads").join(name);
        let kind = scan::kind_of(&path); //~ ok(fs)
        let hash = hashing::hash_bytes(&bytes); //~ ok(fs)
        let info = match kind {
            Kind::Audio => audio::flac_info_from_bytes(bytes.clone())?, //~ ok(fs)
            Kind::Photo => photo::exif_info_raw(bytes.clone())?, //~ ok(fs)
            Kind::Video => crate::meta::video::header_from_bytes(bytes.clone())?, //~ ok(fs)
            Kind::Other => MediaInfo::default(),
        };
        if kind == Kind::Video && path.exists() { //~ fs
            let previous = VideoFile::open(&path)?.info(); //~ fs
            tracing::info!(?previous.duration_ms, "replacing existing video");
        }
        tokio::fs::create_dir_all(self.root.join("uploads")).await?; //~ ok(fs)
        tokio::fs::write(&path, &bytes).await?; //~ ok(fs)
        let entry = Entry { path, kind, hash, info };
        self.catalog.upsert(entry.clone()); //~ lock
        Ok(entry)
    }

    /// `media-catalog inspect <file>`: everything we can learn about one file.
    pub async fn inspect(&self, path: &Path) -> anyhow::Result<serde_json::Value> {
        let mut flac = claxon::FlacReader::open(path)?; //~ fs
        let si = flac.streaminfo(); //~ ok(fs)
        let first: Vec<i32> = flac.samples().take(16).filter_map(Result::ok).collect(); //~ fs
        let peak = audio::peak(path, 48_000)?; //~ fs

        let ex = exif::Reader::new().read_from_container(&mut BufReader::new(File::open(path.with_extension("jpg"))?))?; //~ fs
        let fields = ex.fields().count(); //~ ok(fs)

        let mut mp4 = mp4::read_mp4(File::open(path.with_extension("mp4"))?)?; //~ fs
        let sample = mp4.read_sample(1, 1)?; //~ fs
        let probe = std::process::Command::new("ffprobe").arg("-hide_banner").arg(path).output()?; //~ process
        let copy = hashing::content_hash(&path.with_extension("mp4"))?; //~ fs
        let map = unsafe { memmap2::Mmap::map(&File::open(path)?)? }; //~ fs
        let hash = hashing::hash_bytes(&map);
        let pending = self.catalog.snapshot_json()?; //~ lock
        std::thread::sleep(Duration::from_millis(10)); //~ sleep
        let worker = std::thread::spawn({
            let p = path.to_path_buf();
            move || hashing::content_hash(&p) //~ ok(fs)
        });
        let bg_hash = worker.join().expect("hash thread")?; //~ thread_join
        let ready = futures::FutureExt::now_or_never(async { first.len() }); //~ ok(block_on)
        let sum = futures::executor::block_on(async { first.iter().map(|s| *s as i64).sum::<i64>() }); //~ block_on
        Ok(serde_json::json!({
            "rate": si.sample_rate, "peak": peak, "exif_fields": fields,
            "sample_len": sample.map(|s| s.bytes.len()), "ffprobe": probe.status.success(),
            "mp4_hash": copy, "hash": hash, "bg_hash": bg_hash, "catalog_bytes": pending.len(), "sum": sum, "ready": ready,
        }))
    }
}
