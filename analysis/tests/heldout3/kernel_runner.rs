//! Notebook kernel runner: starts language kernels as child processes, sends
//! them cells over their stdin, streams their output back to the notebook
//! front end and interrupts or restarts them on request.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot, Mutex, RwLock};

pub type KernelId = u32;

pub struct Kernel {
    child: Child,
    lang: String,
    executions: u64,
}

pub struct Runner {
    kernels: Mutex<HashMap<KernelId, Kernel>>,
    specs: RwLock<HashMap<String, Vec<String>>>,
    output_tx: mpsc::Sender<(KernelId, String)>,
    output_rx: Mutex<mpsc::Receiver<(KernelId, String)>>,
    handle: Handle,
}

fn pump_output(id: KernelId, out: ChildStdout, tx: mpsc::Sender<(KernelId, String)>) {
    let reader = BufReader::new(out);
    for line in reader.lines().map_while(Result::ok) {
        if tx.blocking_send((id, line)).is_err() { //~ ok(tokio_blocking)
            break;
        }
    }
}

impl Runner {
    pub async fn start(&self, id: KernelId, lang: &str) -> anyhow::Result<()> {
        let argv = self.specs.read().await.get(lang).cloned().ok_or_else(|| anyhow::anyhow!("no spec"))?; //~ ok(lock), ok(db)
        let mut child = Command::new(&argv[0])
            .args(&argv[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?; //~ ok(process)
        let stdout = child.stdout.take().unwrap();
        let tx = self.output_tx.clone();
        std::thread::spawn(move || pump_output(id, stdout, tx));
        self.kernels.lock().await.insert(id, Kernel { child, lang: lang.to_owned(), executions: 0 }); //~ ok(lock)
        Ok(())
    }

    pub async fn execute(&self, id: KernelId, code: &str) -> anyhow::Result<u64> {
        let mut kernels = self.kernels.lock().await; //~ ok(lock)
        let k = kernels.get_mut(&id).ok_or_else(|| anyhow::anyhow!("no kernel {id}"))?;
        let stdin = k.child.stdin.as_mut().unwrap();
        stdin.write_all(code.as_bytes())?; //~ miss(process)
        stdin.write_all(b"\n%%end\n")?; //~ miss(process)
        k.executions += 1;
        Ok(k.executions)
    }

    pub async fn next_output(&self) -> Option<(KernelId, String)> {
        self.output_rx.lock().await.recv().await //~ ok(lock), ok(channel)
    }

    pub async fn next_output_now(&self) -> Option<(KernelId, String)> {
        let mut rx = self.output_rx.blocking_lock(); //~ tokio_blocking
        rx.blocking_recv() //~ tokio_blocking
    }

    pub async fn is_alive(&self, id: KernelId) -> bool {
        let mut kernels = self.kernels.lock().await; //~ ok(lock)
        match kernels.get_mut(&id) {
            Some(k) => matches!(k.child.try_wait(), Ok(None)), //~ ok(process)
            None => false,
        }
    }

    pub async fn restart(&self, id: KernelId) -> anyhow::Result<()> {
        let old = self.kernels.lock().await.remove(&id); //~ ok(lock)
        if let Some(mut k) = old {
            k.child.kill()?; //~ ok(process)
            let status = k.child.wait()?; //~ process
            tracing::info!(id, ?status, lang = %k.lang, "kernel stopped");
            self.start(id, &k.lang).await?;
        }
        Ok(())
    }

    pub async fn interrupt(&self, id: KernelId) -> anyhow::Result<()> {
        let pid = match self.kernels.lock().await.get(&id) { //~ ok(lock), ok(db)
            Some(k) => k.child.id(),
            None => return Ok(()),
        };
        let out = Command::new("kill").args(["-INT", &pid.to_string()]).output()?; //~ process
        anyhow::ensure!(out.status.success(), "kill failed");
        Ok(())
    }

    pub async fn shutdown_all(self: Arc<Self>) {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut kernels = this.kernels.blocking_lock(); //~ ok(tokio_blocking)
            for (_, k) in kernels.iter_mut() {
                let _ = k.child.kill();
                let _ = k.child.wait(); //~ ok(process)
            }
        })
        .await
        .ok();
        let (done_tx, done_rx) = oneshot::channel::<()>();
        let handle = self.handle.clone();
        std::thread::spawn(move || {
            handle.block_on(async { tokio::time::sleep(Duration::from_millis(50)).await }); //~ ok(block_on), ok(sleep)
            let _ = done_tx.send(()); //~ ok(channel)
        });
        let _ = done_rx.await;
    }

    pub async fn spec_count(&self) -> usize {
        let specs = self.specs.blocking_read(); //~ tokio_blocking
        specs.len()
    }

    pub async fn warm_kernel(&self, lang: &str) -> anyhow::Result<()> {
        self.handle.block_on(self.start(999, lang))?; //~ block_on
        let banner = Command::new("python3").arg("--version").stdout(Stdio::piped()).output()?; //~ process
        tracing::debug!(banner = %String::from_utf8_lossy(&banner.stdout));
        Ok(())
    }

    pub async fn await_reply(&self, reply: oneshot::Receiver<String>) -> String {
        let timeout = tokio::time::timeout(Duration::from_secs(30), reply);
        match timeout.await {
            Ok(Ok(s)) => s,
            _ => String::from("<no reply>"),
        }
    }
}
