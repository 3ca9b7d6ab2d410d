use std::process::{Child, Command};
use std::time::Duration;

use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct RenderJob {
    pub template: String,
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Rendered {
    pub path: String,
    pub body: String,
}

/// Link to the sandboxed renderer process (templates are rendered out of process).
pub struct RendererLink {
    pub child: Child,
    pub jobs: IpcSender<RenderJob>,
    pub results: IpcReceiver<Rendered>,
}

impl RendererLink {
    /// Spawns the renderer and waits for it to connect back to our one-shot server.
    pub fn spawn(exe: &str) -> anyhow::Result<Self> {
        let (server, name) = IpcOneShotServer::<(IpcSender<RenderJob>, IpcReceiver<Rendered>)>::new()?;
        let child = Command::new(exe).arg("--ipc").arg(&name).spawn()?;
        let (_, (jobs, results)) = server.accept()?;
        Ok(Self { child, jobs, results })
    }

    pub fn render(&self, job: RenderJob) -> anyhow::Result<Rendered> {
        self.jobs.send(job)?;
        Ok(self.results.recv()?)
    }

    pub fn poll_result(&self) -> Option<Rendered> {
        self.results.try_recv().ok()
    }

    pub fn wait_result(&self, max: Duration) -> Option<Rendered> {
        self.results.try_recv_timeout(max).ok()
    }
}
