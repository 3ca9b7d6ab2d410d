use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: String,
    pub runbook_dir: PathBuf,
    pub audit_log: PathBuf,
    pub allowed_users: Vec<String>,
    pub chat_token: String,
}

impl Settings {
    /// Reads `ops-bot.env` (secrets) into the environment, then builds the settings.
    pub fn load() -> anyhow::Result<Self> {
        dotenv::from_filename("ops-bot.env")?;
        Ok(Self::from_env())
    }

    pub fn from_env() -> Self {
        let get = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
        Settings {
            listen: get("OPS_BOT_LISTEN", "0.0.0.0:8700"),
            runbook_dir: get("OPS_BOT_RUNBOOKS", "/etc/ops-bot/runbooks").into(),
            audit_log: get("OPS_BOT_AUDIT", "/var/log/ops-bot/audit.log").into(),
            allowed_users: get("OPS_BOT_USERS", "").split(',').map(String::from).collect(),
            chat_token: get("OPS_BOT_TOKEN", ""),
        }
    }
}
