//! devctl: a developer CLI that scaffolds projects, builds and deploys container images,
//! tails remote logs and reports environment status.

mod commands;
mod config;
mod git;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::commands::Session;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Init(args) = &cli.command {
        return commands::init(args).await;
    }

    let cfg = config::load_or_default(&cli.config)?; //~ fs
    if cli.verbose {
        let branch = git::current_branch().unwrap_or_default(); //~ process
        eprintln!("devctl: project {} on branch {}", cfg.project, branch);
    }
    let session = Session::new(cfg);

    match cli.command {
        Command::Deploy(args) => commands::deploy(&session, args).await,
        Command::Logs(args) => commands::logs(&session, args).await,
        Command::Status => commands::status(&session).await,
        Command::Init(_) => unreachable!(),
    }
}

mod cli {
    use std::path::PathBuf;

    use clap::{Args, Parser, Subcommand};

    #[derive(Debug, Parser)]
    #[command(name = "devctl", version)]
    pub struct Cli {
        #[arg(long, global = true, default_value = ".devctl.toml")]
        pub config: PathBuf,
        #[arg(short, long, global = true)]
        pub verbose: bool,
        #[command(subcommand)]
        pub command: Command,
    }

    #[derive(Debug, Subcommand)]
    pub enum Command {
        Init(InitArgs),
        Deploy(DeployArgs),
        Logs(LogsArgs),
        Status,
    }

    #[derive(Debug, Args)]
    pub struct InitArgs {
        #[arg(long)]
        pub name: Option<String>,
        #[arg(long)]
        pub yes: bool,
    }

    #[derive(Debug, Args)]
    pub struct DeployArgs {
        pub env: String,
        #[arg(long)]
        pub tag: Option<String>,
        #[arg(long)]
        pub force: bool,
        #[arg(long, default_value_t = 120)]
        pub wait_secs: u64,
    }

    #[derive(Debug, Args)]
    pub struct LogsArgs {
        pub env: String,
        #[arg(short, long)]
        pub follow: bool,
        #[arg(long, default_value_t = 200)]
        pub lines: usize,
    }
}

mod prompt {
    use std::io::{self, BufRead, Write};

    use tokio::io::{AsyncBufReadExt, BufReader};

    pub fn ask(question: &str, default: &str) -> String {
        print!("{question} [{default}]: ");
        let _ = io::stdout().flush();
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line).is_err() {
            return default.to_owned();
        }
        match line.trim() {
            "" => default.to_owned(),
            s => s.to_owned(),
        }
    }

    pub fn confirm(question: &str) -> bool {
        ask(&format!("{question} (y/n)"), "n").eq_ignore_ascii_case("y")
    }

    pub async fn confirm_async(question: &str) -> bool {
        eprint!("{question} (y/n): ");
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        match lines.next_line().await { //~ ok(stdio)
            Ok(Some(l)) => l.trim().eq_ignore_ascii_case("y"),
            _ => false,
        }
    }
}
