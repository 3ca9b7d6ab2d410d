use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, BufWriter, ErrorKind};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::formats;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Checkpoint {
    done: BTreeMap<String, usize>,
    #[serde(default)]
    runs: u64,
}

impl Checkpoint {
    pub fn is_done(&self, name: &str) -> bool {
        self.done.contains_key(name)
    }

    pub fn mark_done(&mut self, name: &str, rows: usize) {
        self.done.insert(name.to_string(), rows);
    }

    pub fn summary(&self) -> String {
        let total: usize = self.done.values().sum();
        format!("run {} processed {} files, {} rows\n", self.runs + 1, self.done.len(), total)
    }
}

pub async fn load(path: &Path) -> anyhow::Result<Checkpoint> {
    match File::open(path) { //~ fs
        Ok(file) => {
            let mut state: Checkpoint = serde_json::from_reader(BufReader::new(file))?; //~ fs
            state.runs += 1;
            Ok(state)
        }
        Err(err) if err.kind() == ErrorKind::NotFound => Ok(Checkpoint::default()),
        Err(err) => Err(err.into()),
    }
}

pub async fn save(path: &Path, state: &Checkpoint) -> anyhow::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let file = File::create(&tmp)?; //~ fs
    serde_json::to_writer_pretty(BufWriter::new(file), state)?; //~ fs
    tokio::fs::rename(&tmp, path).await?; //~ ok(fs)
    Ok(())
}

pub async fn load_rates(path: &Path) -> anyhow::Result<HashMap<String, f64>> {
    let path = path.to_owned();
    tokio::task::spawn_blocking(move || formats::load_currency_table(&path)).await? //~ ok(fs)
}

pub async fn load_rates_inline(json: &str) -> anyhow::Result<HashMap<String, f64>> {
    Ok(serde_json::from_str(json)?) //~ ok(fs)
}

pub async fn load_rates_bytes(bytes: &[u8]) -> anyhow::Result<HashMap<String, f64>> {
    Ok(serde_json::from_reader(bytes)?) //~ ok(fs)
}
