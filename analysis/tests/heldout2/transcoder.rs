//! Video transcoding job runner: jobs are read from a spool, ffmpeg runs as a
//! child process, progress is streamed to subscribers, and an operator can
//! answer prompts on the console.

use std::io::{self as stdio, BufRead as _, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command as Cmd, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::*;
use std::task::{Context, Poll};

use futures::Stream;
use tokio::runtime::Handle;
use tokio::sync::mpsc::{self as tmpsc, Receiver as TReceiver};

pub struct Job {
    pub input: PathBuf,
    pub output: PathBuf,
    pub preset: String,
}

/// Runs `f` on the blocking pool; our own wrapper over spawn_blocking.
pub async fn offload<T, F>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f).await.expect("blocking task panicked")
}

fn ffmpeg(job: &Job) -> Cmd {
    let mut c = Cmd::new("ffmpeg");
    c.arg("-i").arg(&job.input).args(["-preset", &job.preset]).arg(&job.output);
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

pub struct Runner {
    active: Mutex<Vec<Child>>,
    done: AtomicU32,
    progress_tx: tmpsc::Sender<(PathBuf, u8)>,
    rt: Handle,
}

impl Runner {
    pub async fn run(&self, job: Job) -> stdio::Result<ExitStatus> {
        if !job.input.is_file() { //~ fs
            return Err(stdio::Error::new(stdio::ErrorKind::NotFound, "no input"));
        }
        let mut child = ffmpeg(&job).spawn()?; //~ ok(process)
        let stderr = child.stderr.take().unwrap();
        let tx = self.progress_tx.clone();
        let out = job.output.clone();
        std::thread::spawn(move || {
            for line in stdio::BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(p) = line.strip_prefix("progress=") {
                    tx.blocking_send((out.clone(), p.parse().unwrap_or(0))).ok(); //~ ok(tokio_blocking)
                }
            }
        });
        let status = child.wait()?; //~ process
        self.done.fetch_add(1, Ordering::Relaxed);
        Ok(status)
    }

    pub async fn run_offloaded(&self, job: Job) -> stdio::Result<ExitStatus> {
        offload(move || ffmpeg(&job).status()).await //~ ok(process)
    }

    pub async fn probe(&self, input: &Path) -> stdio::Result<String> {
        let out = tokio::process::Command::new("ffprobe").arg(input).output().await?; //~ ok(process)
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let _ = Cmd::new("sync").status()?; //~ process
        Ok(text)
    }

    pub async fn cancel_all(&self) {
        let mut kids = self.active.lock().unwrap(); //~ lock
        for k in kids.iter_mut() {
            k.kill().ok(); //~ ok(process)
            k.try_wait().ok(); //~ ok(process)
        }
        kids.clear();
    }

    pub async fn confirm(&self, question: &str) -> bool {
        print!("{question} [y/N] ");
        let mut answer = String::new();
        stdio::stdin().read_line(&mut answer).ok(); //~ stdio
        answer.trim().eq_ignore_ascii_case("y")
    }

    pub async fn confirm_async(&self, question: &str) -> bool {
        use tokio::io::{AsyncBufReadExt, BufReader};
        println!("{question} [y/N]");
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        matches!(lines.next_line().await, Ok(Some(a)) if a.trim() == "y") //~ ok(stdio)
    }

    pub fn sync_status(&self, mut rx: TReceiver<(PathBuf, u8)>) -> Option<(PathBuf, u8)> {
        let h = self.rt.clone();
        let _ = h;
        rx.blocking_recv() //~ ok(tokio_blocking)
    }

    pub async fn wait_progress(&self, rx: &mut TReceiver<(PathBuf, u8)>) -> Option<(PathBuf, u8)> {
        let first = rx.recv().await; //~ ok(channel)
        first.or_else(|| rx.blocking_recv()) //~ tokio_blocking
    }

    pub async fn flush_report(&self, path: &Path) -> stdio::Result<()> {
        let done = self.done.load(Ordering::Relaxed); //~ ok(db)
        let handle = self.rt.clone();
        let body = handle.block_on(async move { format!("done={done}\n") }); //~ block_on
        let mut f = std::fs::File::create(path)?; //~ fs
        f.write_all(body.as_bytes())?; //~ fs
        f.sync_all() //~ fs
    }
}

pub struct Progress {
    rx: TReceiver<(PathBuf, u8)>,
    seen: Arc<RwLock<u32>>,
}

impl Stream for Progress {
    type Item = (PathBuf, u8);

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let r = self.rx.poll_recv(cx);
        if let Poll::Ready(Some(_)) = &r {
            *self.seen.write().unwrap() += 1; //~ lock
        }
        r
    }
}

pub fn spawn_watchers(jobs: Vec<Job>) {
    let summarize = async |j: Job| -> u64 {
        let meta = std::fs::metadata(&j.input).map(|m| m.len()).unwrap_or(0); //~ fs
        meta
    };
    tokio::spawn(async move {
        for j in jobs {
            let n = summarize(j).await;
            tracing::info!(bytes = n, "queued");
        }
    });
}
