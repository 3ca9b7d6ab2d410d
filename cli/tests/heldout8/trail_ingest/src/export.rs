use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use tokio::io::AsyncReadExt;

use crate::store::{Track, TrackStore};

#[derive(Clone)]
pub struct Exporter {
    store: Arc<TrackStore>,
    jobs: Sender<String>,
    done: Arc<Mutex<Receiver<String>>>,
}

impl Exporter {
    pub fn start(store: Arc<TrackStore>) -> Self {
        let (jobs, job_rx) = channel::<String>();
        let (done_tx, done) = channel::<String>();
        let s = store.clone();
        std::thread::spawn(move || {
            for id in job_rx {
                if let Ok(track) = s.load(&id) {
                    let out = s.archive_dir().join(format!("{id}.geojson.br"));
                    if let Ok(f) = File::create(&out) {
                        let mut w = brotli::CompressorWriter::new(BufWriter::new(f), 4096, 9, 22);
                        let _ = serde_json::to_writer(&mut w, &track.points);
                        let _ = w.flush();
                    }
                }
                let _ = done_tx.send(id);
            }
        });
        Self { store, jobs, done: Arc::new(Mutex::new(done)) }
    }

    pub fn enqueue(&self, id: String) {
        let _ = self.jobs.send(id);
    }

    pub fn wait_done(&self) -> Option<String> {
        self.done.lock().unwrap().recv().ok()
    }

    pub fn archive_now(&self, track: &Track) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(self.store.archive_dir())?;
        let path = self.store.archive_dir().join(format!("{}.msgpack.br", track.id));
        let packed = rmp_serde::to_vec(track).map_err(std::io::Error::other)?;
        let mut out = File::create(&path)?;
        let params = brotli::enc::BrotliEncoderParams::default();
        brotli::BrotliCompress(&mut packed.as_slice(), &mut out, &params)?;
        Ok(path)
    }

    pub fn restore(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let mut dec = brotli::Decompressor::new(File::open(path)?, 4096);
        let mut buf = Vec::new();
        dec.read_to_end(&mut buf)?;
        Ok(buf)
    }

    pub async fn restore_async(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let f = tokio::fs::File::open(path).await?; //~ ok(fs)
        let mut dec = async_compression::tokio::bufread::BrotliDecoder::new(tokio::io::BufReader::new(f)); //~ ok(fs)
        let mut buf = Vec::new();
        dec.read_to_end(&mut buf).await?; //~ ok(fs)
        let check = brotli::Decompressor::new(buf.as_slice(), 4096); //~ ok(fs)
        drop(check);
        let mut direct = brotli::Decompressor::new(File::open(path)?, 4096); //~ fs
        let mut sink = Vec::new();
        direct.read_to_end(&mut sink)?; //~ fs
        Ok(buf)
    }
}
