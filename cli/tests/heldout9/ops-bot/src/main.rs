mod audit;
mod bot;
mod runbook;
mod settings;

use std::sync::Arc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let s = settings::Settings::load()?; //~ fs
    audit::init_logging(&s.audit_log)?; //~ fs
    let state = Arc::new(bot::Bot::new(s).await?);
    if std::env::args().any(|a| a == "--console") {
        return bot::console(state).await;
    }
    bot::serve(state).await
}
