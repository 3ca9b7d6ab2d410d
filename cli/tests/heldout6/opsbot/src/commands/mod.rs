mod shell;

pub use shell::{git_head, run_script, service_status};

use std::collections::VecDeque;
use std::time::Duration;

use futures::FutureExt;

use crate::plugins::{self, Plugin, SyncPlugin};
use crate::sysview;

pub struct Dispatcher {
    history: VecDeque<String>,
    plugins: Vec<Box<dyn SyncPlugin>>,
}

impl Dispatcher {
    pub fn new() -> Self {
        Dispatcher { history: VecDeque::with_capacity(100), plugins: plugins::builtin() }
    }

    pub async fn handle(&mut self, line: &str) -> String {
        if self.history.len() == 100 {
            self.history.pop_front();
        }
        self.history.push_back(line.to_string());
        match self.dispatch(line).await {
            Ok(s) => s,
            Err(e) => format!("error: {e:#}"),
        }
    }

    async fn dispatch(&mut self, line: &str) -> anyhow::Result<String> {
        let mut words = line.split_whitespace();
        let cmd = words.next().unwrap_or_default();
        let arg = words.next().unwrap_or_default().to_string();
        match cmd {
            "status" => Ok(service_status(&arg)?), //~ process
            "head" => Ok(git_head(&arg)?), //~ process
            "deploy" => {
                let out = tokio::process::Command::new("./deploy.sh").arg(&arg).output().await?; //~ ok(process)
                Ok(String::from_utf8_lossy(&out.stdout).into_owned())
            }
            "restart" => {
                let status = tokio::process::Command::new("systemctl").args(["restart", arg.as_str()]).status().await?; //~ ok(process)
                Ok(format!("restart {arg}: {status}"))
            }
            "script" => {
                let name = arg.clone();
                let out = tokio::task::spawn_blocking(move || run_script(&name)).await??; //~ ok(process)
                Ok(out)
            }
            "logs" => {
                let sh = xshell::Shell::new()?;
                let n = words.next().unwrap_or("50");
                let cmd = xshell::cmd!(sh, "journalctl -u {arg} -n {n} --no-pager"); //~ ok(process)
                let text = cmd.read()?; //~ process
                Ok(text)
            }
            "which" => {
                let path = which::which(&arg)?; //~ fs
                Ok(path.display().to_string())
            }
            "mem" => Ok(sysview::memory_line()), //~ fs
            "disk" => {
                let report = tokio::task::spawn_blocking(sysview::disk_report).await?; //~ ok(fs)
                Ok(report)
            }
            "top" => Ok(sysview::top_processes(5)), //~ fs
            "cat" => {
                let sh = xshell::Shell::new()?;
                let text = sh.read_file(format!("/etc/opsbot/notes/{arg}.txt"))?; //~ fs
                Ok(text)
            }
            "note" => {
                let sh = xshell::Shell::new()?;
                let body: Vec<&str> = words.collect();
                sh.write_file(format!("/etc/opsbot/notes/{arg}.txt"), body.join(" "))?; //~ fs
                Ok("saved".into())
            }
            "uptime" => {
                let sh = xshell::Shell::new()?;
                let out = xshell::cmd!(sh, "uptime").read()?; //~ process
                Ok(out)
            }
            "inline-script" => Ok(run_script(&arg)?), //~ process
            "host" => Ok(sysview::banner()), //~ fs
            "history" => Ok(self.history.iter().cloned().collect::<Vec<_>>().join("\n")),
            "plugin" => {
                let rest: Vec<String> = words.map(str::to_string).collect();
                for p in &self.plugins {
                    if p.name() == arg {
                        return p.call(&rest); //~ block_on
                    }
                }
                anyhow::bail!("no plugin {arg}")
            }
            "aplugin" => {
                let rest: Vec<String> = words.map(str::to_string).collect();
                let p = plugins::Uptime;
                p.run(&rest).await //~ ok(block_on)
            }
            "ping" => {
                // Answer immediately if the health future is already resolved.
                let quick = plugins::health_check(Duration::ZERO).now_or_never(); //~ ok(block_on)
                match quick {
                    Some(r) => r,
                    None => plugins::health_check(Duration::from_millis(100)).await, //~ ok(sleep)
                }
            }
            "selftest" => {
                let r = futures::executor::block_on(plugins::health_check(Duration::from_millis(10))); //~ block_on
                r
            }
            _ => anyhow::bail!("unknown command {cmd}"),
        }
    }
}
