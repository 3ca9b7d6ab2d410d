use std::path::PathBuf;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    pub listen: String,
    pub ini_dir: PathBuf,
    pub flags_file: PathBuf,
    pub overrides_file: PathBuf,
    pub refresh_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:7070".into(),
            ini_dir: "conf.d".into(),
            flags_file: "flags.xml".into(),
            overrides_file: "overrides.yaml".into(),
            refresh_secs: 60,
        }
    }
}

const BUILTIN: &str = r#"
listen = "127.0.0.1:7070"
refresh_secs = 30
"#;

/// Defaults < file < environment (`CONFSVC_*`).
pub fn load(path: &str) -> anyhow::Result<Settings> {
    let fig = Figment::new()
        .merge(Serialized::defaults(Settings::default()))
        .merge(Toml::file(path))
        .merge(Env::prefixed("CONFSVC_"));
    Ok(fig.extract()?)
}

/// Built-in defaults only; parsed from an embedded string.
pub fn builtin_defaults() -> anyhow::Result<Settings> {
    let fig = Figment::from(Serialized::defaults(Settings::default())).merge(Toml::string(BUILTIN));
    Ok(fig.extract()?)
}
