//! Plugins are written against an async API; older call sites use the
//! sync adapter, which drives the future to completion on the caller's
//! thread with pollster.

use std::time::{Duration, Instant};

pub trait Plugin: Send + Sync {
    fn name(&self) -> &'static str;
    fn run(&self, args: &[String]) -> impl std::future::Future<Output = anyhow::Result<String>> + Send;
}

/// Object-safe, synchronous face of a plugin.
pub trait SyncPlugin: Send + Sync {
    fn name(&self) -> &'static str;
    fn call(&self, args: &[String]) -> anyhow::Result<String>;
}

pub struct Blocking<P>(pub P);

impl<P: Plugin> SyncPlugin for Blocking<P> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn call(&self, args: &[String]) -> anyhow::Result<String> {
        pollster::block_on(self.0.run(args))
    }
}

pub struct Uptime;

impl Plugin for Uptime {
    fn name(&self) -> &'static str {
        "uptime"
    }

    async fn run(&self, _args: &[String]) -> anyhow::Result<String> {
        let text = tokio::fs::read_to_string("/proc/uptime").await?;
        let secs: f64 = text.split_whitespace().next().unwrap_or("0").parse()?;
        Ok(format!("up {:.1}h", secs / 3600.0))
    }
}

pub struct Echo;

impl Plugin for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }

    async fn run(&self, args: &[String]) -> anyhow::Result<String> {
        Ok(args.join(" "))
    }
}

pub fn builtin() -> Vec<Box<dyn SyncPlugin>> {
    vec![Box::new(Blocking(Uptime)), Box::new(Blocking(Echo))]
}

/// Resolves after `delay`; reports how long it actually took.
pub async fn health_check(delay: Duration) -> anyhow::Result<String> {
    let started = Instant::now();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    Ok(format!("pong ({:?})", started.elapsed()))
}
