mod probes;
mod report;
mod scheduler;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "netprobe", about = "Small-office network health prober")]
struct Cli {
    #[arg(long, default_value = "/etc/netprobe/targets.json")]
    targets: String,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run all probes once and print the report.
    Once,
    /// Run forever, probing every `interval` seconds.
    Daemon {
        #[arg(long, default_value_t = 60)]
        interval: u64,
    },
    /// Ask for a hostname on stdin and probe it interactively.
    Interactive,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let targets = report::load_targets(&cli.targets)?; //~ fs
    let sched = scheduler::Scheduler::new(targets);
    match cli.cmd {
        Cmd::Once => {
            let rep = sched.run_once().await?;
            report::save(&rep, "/var/lib/netprobe/last.json")?; //~ fs
            report::save_async(&rep, "/var/lib/netprobe/last-async.json").await?; //~ ok(fs)
        }
        Cmd::Daemon { interval } => sched.run_forever(interval).await?,
        Cmd::Interactive if std::env::var_os("NETPROBE_ASYNC_STDIN").is_some() => {
            use tokio::io::AsyncBufReadExt;
            let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
            while let Some(host) = lines.next_line().await? { //~ ok(stdio)
                let rep = sched.probe_host(host.trim()).await?;
                println!("{}", serde_json::to_string_pretty(&rep)?);
            }
        }
        Cmd::Interactive => {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line)? > 0 { //~ stdio
                let host = line.trim().to_string();
                let rep = sched.probe_host(&host).await?;
                println!("{}", serde_json::to_string_pretty(&rep)?);
                line.clear();
            }
        }
    }
    Ok(())
}
