use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULTS: &str = r#"
inbox = "/srv/finance/inbox"
outbox = "/srv/finance/outbox"
template_pdf = "/srv/finance/templates/cover.pdf"
interval_secs = 900
sheet_name = "KPI"
"#;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub inbox: PathBuf,
    pub outbox: PathBuf,
    pub template_pdf: PathBuf,
    pub interval_secs: u64,
    pub sheet_name: String,
    #[serde(default)]
    pub reload_env_from: Option<PathBuf>,
}

pub async fn load() -> anyhow::Result<Settings> {
    dotenvy::dotenv().ok(); //~ fs
    let settings = config::Config::builder()
        .add_source(config::File::with_name("config/reports").required(false)) //~ ok(fs)
        .add_source(config::Environment::with_prefix("REPORTS").separator("__"))
        .build()?; //~ fs
    Ok(settings.try_deserialize()?)
}

pub async fn load_embedded(defaults: &str) -> anyhow::Result<Settings> {
    let settings = config::Config::builder()
        .add_source(config::File::from_str(defaults, config::FileFormat::Toml)) //~ ok(fs)
        .add_source(config::Environment::with_prefix("REPORTS").separator("__"))
        .build()?; //~ ok(fs)
    Ok(settings.try_deserialize()?)
}

pub async fn api_token() -> anyhow::Result<String> {
    Ok(dotenvy::var("REPORTS_API_TOKEN")?) //~ fs
}

pub async fn reload_from(path: &Path) -> anyhow::Result<()> {
    dotenvy::from_path_override(path)?; //~ fs
    Ok(())
}

pub async fn apply_secrets(blob: &[u8]) -> anyhow::Result<()> {
    dotenvy::from_read(blob)?; //~ ok(fs)
    Ok(())
}
