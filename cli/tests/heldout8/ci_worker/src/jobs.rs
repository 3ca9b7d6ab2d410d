use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub name: String,
    pub kind: String,
    pub script: String,
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub repo_url: String,
    pub rev: String,
    pub steps: Vec<Step>,
}

pub struct JobQueue {
    dir: PathBuf,
}

impl JobQueue {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub async fn next_job(&self) -> std::io::Result<Option<Job>> {
        let mut rd = tokio::fs::read_dir(&self.dir).await?; //~ ok(fs)
        while let Some(e) = rd.next_entry().await? { //~ ok(fs)
            if e.path().extension().map_or(false, |x| x == "json") {
                let raw = tokio::fs::read(e.path()).await?; //~ ok(fs)
                if let Ok(job) = serde_json::from_slice::<Job>(&raw) {
                    let claimed = e.path().with_extension("running");
                    std::fs::rename(e.path(), &claimed)?; //~ fs
                    return Ok(Some(job));
                }
            }
        }
        Ok(None)
    }

    pub fn mark_failed(&self, job: &Job) -> std::io::Result<()> {
        std::fs::rename(self.dir.join(format!("{}.running", job.id)), self.dir.join(format!("{}.failed", job.id)))
    }

    pub async fn mark_done(&self, job: &Job) -> std::io::Result<()> {
        let f = tokio::fs::OpenOptions::new().create(true).write(true).open(self.dir.join("queue.lock")).await?; //~ ok(fs)
        let f = f.into_std().await;
        let lock = file_guard::try_lock(&f, file_guard::Lock::Exclusive, 0, 1); //~ ok(lock)
        tokio::fs::rename(self.dir.join(format!("{}.running", job.id)), self.dir.join(format!("{}.done", job.id))).await?; //~ ok(fs)
        drop(lock);
        Ok(())
    }
}
