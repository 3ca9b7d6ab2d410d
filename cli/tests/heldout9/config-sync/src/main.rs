mod agent;
mod ipc;
mod logging;
mod snapshot;
mod zk;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    logging::init("/etc/config-sync/log4rs.yaml")?; //~ fs
    let zk_hosts = std::env::var("ZK_HOSTS").unwrap_or_else(|_| "zk1.internal:2181,zk2.internal:2181/config".into());
    let mut agent = agent::Agent::start(&zk_hosts).await?;
    agent.sync_forever().await
}
