use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrackPoint {
    pub lat: f64,
    pub lon: f64,
    pub ele: Option<f64>,
    pub t: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub name: String,
    pub points: Vec<TrackPoint>,
}

/// Tracks are stored as lz4-framed MessagePack files.
pub struct TrackStore {
    dir: PathBuf,
    pub cache: Mutex<HashMap<String, Track>>,
}

impl TrackStore {
    pub fn open(dir: impl AsRef<Path>) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.as_ref())?;
        Ok(Self { dir: dir.as_ref().to_path_buf(), cache: Mutex::new(HashMap::new()) })
    }

    fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.mp.lz4"))
    }

    pub fn save(&self, track: &Track) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let file = File::create(self.path_of(&track.id))?;
        let mut enc = lz4::EncoderBuilder::new().level(4).build(BufWriter::new(file))?;
        rmp_serde::encode::write(&mut enc, track)?;
        let (mut w, res) = enc.finish();
        res?;
        w.flush()?;
        self.cache.lock().unwrap().insert(track.id.clone(), track.clone());
        Ok(())
    }

    pub fn load(&self, id: &str) -> Result<Track, Box<dyn std::error::Error + Send + Sync>> {
        if let Some(t) = self.cache.lock().unwrap().get(id) {
            return Ok(t.clone());
        }
        let dec = lz4::Decoder::new(BufReader::new(File::open(self.path_of(id))?))?;
        Ok(rmp_serde::from_read(dec)?)
    }

    pub fn warm_cache(&self) -> std::io::Result<usize> {
        let mut n = 0;
        for entry in std::fs::read_dir(&self.dir)? {
            let p = entry?.path();
            if let Some(id) = p.file_stem().and_then(|s| s.to_str()).and_then(|s| s.strip_suffix(".mp")) {
                if let Ok(t) = self.load(id) {
                    self.cache.lock().unwrap().insert(id.to_string(), t);
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    pub fn archive_dir(&self) -> PathBuf {
        self.dir.join("archive")
    }
}
