//! What we already sent, persisted with rustbreak (RON file).

use std::collections::BTreeSet;
use std::path::Path;

use rustbreak::deser::Ron;
use rustbreak::FileDatabase;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct DigestState {
    pub last_run: i64,
    pub sent_ids: BTreeSet<String>,
    pub provider_ids: Vec<String>,
}

pub type StateDb = FileDatabase<DigestState, Ron>;

pub fn open(path: &Path) -> rustbreak::Result<StateDb> {
    StateDb::load_from_path_or_default(path)
}
