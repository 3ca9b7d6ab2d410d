mod deploy;
mod init;
mod logs;
#[path = "status_cmd.rs"]
mod status;

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub use crate::config::{Config, EnvConfig};
pub(crate) use crate::{git, prompt};

pub use self::deploy::run as deploy;
pub use self::init::run as init;
pub use self::logs::run as logs;
pub use self::status::run as status;

pub struct Session {
    pub cfg: Config,
    pub http: reqwest::Client,
    pub health_cache: tokio::sync::Mutex<HashMap<String, (Instant, bool)>>,
    pub started: Instant,
}

impl Session {
    pub fn new(cfg: Config) -> Self {
        Self {
            cfg,
            http: reqwest::Client::builder()
                .user_agent(concat!("devctl/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("http client"),
            health_cache: tokio::sync::Mutex::new(HashMap::new()),
            started: Instant::now(),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
