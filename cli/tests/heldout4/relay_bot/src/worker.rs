use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SendError, Sender, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

pub struct Job {
    pub text: String,
    pub reply: Sender<Vec<u8>>,
}

pub fn reply_channel() -> (Sender<Vec<u8>>, Receiver<Vec<u8>>) {
    mpsc::channel()
}

pub struct Renderer {
    tx: SyncSender<Job>,
    pending: Arc<AtomicUsize>,
    _handle: JoinHandle<()>,
}

impl Renderer {
    pub fn spawn(font_dir: PathBuf) -> Self {
        let (tx, rx) = mpsc::sync_channel::<Job>(8);
        let pending = Arc::new(AtomicUsize::new(0));
        let counter = pending.clone();
        let handle = std::thread::Builder::new()
            .name("renderer".into())
            .spawn(move || {
                let font = std::fs::read(font_dir.join("DejaVuSans.ttf")).unwrap_or_default(); //~ ok(fs)
                for job in rx {
                    let png = render(&font, &job.text);
                    counter.fetch_sub(1, Ordering::Relaxed);
                    let _ = job.reply.send(png);
                }
            })
            .expect("failed to spawn renderer thread");
        Self {
            tx,
            pending,
            _handle: handle,
        }
    }

    pub fn submit(&self, job: Job) -> Result<(), SendError<Job>> {
        self.pending.fetch_add(1, Ordering::Relaxed);
        self.tx.send(job)
    }

    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }
}

fn render(font: &[u8], text: &str) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&(font.len() as u32).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out
}
