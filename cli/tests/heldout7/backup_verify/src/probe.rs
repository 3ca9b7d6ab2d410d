//! Restore probe, run in its own process group so a hung restore (and the
//! helpers it forks) can be killed as a whole.

use std::io;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use command_group::{AsyncCommandGroup, CommandGroup};
use tracing::warn;

pub struct RestoreProbe {
    argv: Vec<String>,
    timeout: Duration,
}

impl RestoreProbe {
    pub fn new(argv: Vec<String>, timeout: Duration) -> Self {
        RestoreProbe { argv, timeout }
    }

    fn std_command(&self, snapshot: &str) -> Command {
        let mut cmd = Command::new(self.argv.first().map(String::as_str).unwrap_or("restic"));
        cmd.args(self.argv.iter().skip(1)).arg(snapshot).stdin(Stdio::null()).stdout(Stdio::piped());
        cmd
    }

    pub async fn preflight(&self) -> io::Result<bool> {
        let mut cmd = self.std_command("--help");
        let status = cmd.group_status()?; //~ process
        Ok(status.success())
    }

    pub async fn run_detached(&self, snapshot: &str) -> io::Result<i32> {
        let mut child = tokio::process::Command::from(self.std_command(snapshot)).group_spawn()?;
        match tokio::time::timeout(self.timeout, child.wait()).await { //~ ok(process)
            Ok(status) => Ok(status?.code().unwrap_or(-1)),
            Err(_) => {
                child.kill().await?; //~ ok(process)
                Err(io::Error::new(io::ErrorKind::TimedOut, "restore probe timed out"))
            }
        }
    }

    /// Captures the output for the `--explain` report.
    pub async fn run_captured(&self, snapshot: &str) -> io::Result<Output> {
        let out = self.std_command(snapshot).group_output()?; //~ process
        if !out.status.success() {
            return tokio::process::Command::from(self.std_command(snapshot)).group_output().await; //~ ok(process)
        }
        Ok(out)
    }

    /// Legacy polling loop for restore tools that ignore SIGTERM.
    pub async fn run_polling(&self, snapshot: &str) -> io::Result<i32> {
        let mut child = self.std_command(snapshot).group_spawn()?;
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait()? { //~ ok(process)
                return Ok(status.code().unwrap_or(-1));
            }
            if started.elapsed() > self.timeout {
                child.kill()?;
                let status = child.wait()?; //~ process
                warn!(?status, "killed restore probe after timeout");
                return Ok(-1);
            }
            std::thread::sleep(Duration::from_millis(250)); //~ sleep
        }
    }
}
