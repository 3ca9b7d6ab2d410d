use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct RelayConfig {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub from_addr: String,
    pub outbox_path: PathBuf,
    pub suppress_path: PathBuf,
    pub spool_dir: PathBuf,
    pub incoming_dir: PathBuf,
    pub use_sendmail: bool,
    pub async_smtp: bool,
}

impl Default for RelayConfig {
    fn default() -> Self {
        RelayConfig {
            smtp_host: "localhost".into(),
            smtp_port: 2525,
            from_addr: "relay@example.org".into(),
            outbox_path: "outbox.db".into(),
            suppress_path: "suppressed.db".into(),
            spool_dir: "spool".into(),
            incoming_dir: "incoming".into(),
            use_sendmail: false,
            async_smtp: true,
        }
    }
}

impl RelayConfig {
    pub fn from_file_or_default(path: &str) -> anyhow::Result<Self> {
        let mut cfg = RelayConfig::default();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cfg),
            Err(e) => return Err(e.into()),
        };
        for (k, v) in text.lines().filter_map(|l| l.split_once('=')) {
            let v = v.trim().to_string();
            match k.trim() {
                "smtp_host" => cfg.smtp_host = v,
                "smtp_port" => cfg.smtp_port = v.parse()?,
                "from" => cfg.from_addr = v,
                "outbox" => cfg.outbox_path = v.into(),
                "suppress" => cfg.suppress_path = v.into(),
                "spool" => cfg.spool_dir = v.into(),
                "incoming" => cfg.incoming_dir = v.into(),
                "sendmail" => cfg.use_sendmail = v == "true",
                "async_smtp" => cfg.async_smtp = v == "true",
                _ => {}
            }
        }
        Ok(cfg)
    }
}
