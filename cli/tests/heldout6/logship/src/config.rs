use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    pub log_dir: PathBuf,
    pub spool_dir: PathBuf,
    pub state_path: PathBuf,
    pub collector_url: String,
    pub interval_secs: u64,
    pub inline_lines: usize,
}

impl Config {
    pub fn load(path: &str) -> anyhow::Result<Self> {
        let text = fs_err::read_to_string(path)?;
        let mut cfg = Config {
            log_dir: "/var/log/app".into(),
            spool_dir: "spool".into(),
            state_path: "logship.state".into(),
            collector_url: "http://127.0.0.1:9400/ingest".into(),
            interval_secs: 5,
            inline_lines: 20,
        };
        for (k, v) in text.lines().filter_map(|l| l.split_once('=')) {
            let v = v.trim();
            match k.trim() {
                "log_dir" => cfg.log_dir = v.into(),
                "spool_dir" => cfg.spool_dir = v.into(),
                "state" => cfg.state_path = v.into(),
                "collector" => cfg.collector_url = v.to_string(),
                "interval" => cfg.interval_secs = v.parse()?,
                "inline_lines" => cfg.inline_lines = v.parse()?,
                _ => {}
            }
        }
        Ok(cfg)
    }
}
