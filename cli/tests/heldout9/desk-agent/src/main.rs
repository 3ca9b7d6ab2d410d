mod agent;
mod bus;
mod input;
mod logging;
mod watch;

use anyhow::Result;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let cfg_path = agent::config_path();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stdin()); //~ ok(stdio)
    if interactive && args.get(1).map(String::as_str) == Some("edit-config") {
        agent::edit_config(&cfg_path)?; //~ process
        return Ok(());
    }
    let cfg = agent::load_config(&cfg_path).await?; //~ ok(fs)
    let mut a = agent::Agent::start(cfg).await?;
    a.run().await
}
