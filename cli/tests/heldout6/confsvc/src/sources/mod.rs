mod ini_src;
mod xml_flags;
mod yaml_src;

pub use ini_src::{load_ini_dir, parse_ini_str, read_ini, write_ini};
pub use xml_flags::{parse_flags, read_flags_file};
pub use yaml_src::{load_overrides, parse_overrides, save_overrides};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::settings::Settings;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Snapshot {
    pub values: BTreeMap<String, String>,
    pub flags: BTreeMap<String, bool>,
}

/// Reads every source from disk. Synchronous.
pub fn load_all(settings: &Settings) -> anyhow::Result<Snapshot> {
    let mut values = load_ini_dir(&settings.ini_dir)?;
    for (k, v) in load_overrides(&settings.overrides_file)? {
        values.insert(k, v);
    }
    let flags = read_flags_file(&settings.flags_file)?;
    Ok(Snapshot { values, flags })
}
