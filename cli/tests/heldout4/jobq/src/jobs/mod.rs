mod email;
mod report;
mod thumbnail;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use reqwest::blocking::Client as BlockingClient;
use serde::Deserialize;

use crate::metrics::Metrics;
use crate::queue::{JobEnvelope, JobKind, Queue};

pub use self::report::summarize;

#[derive(Debug, Clone)]
pub enum JobResult {
    Done(uuid::Uuid),
    Failed(uuid::Uuid, String),
}

pub struct Ctx {
    pub queue: Arc<Queue>,
    pub http: BlockingClient,
    pub async_http: reqwest::Client,
    pub metrics: Arc<Metrics>,
    pub scratch: PathBuf,
    pub templates: PathBuf,
    pub mail_api: String,
    pub upload_url: String,
    pub results: crossbeam_channel::Sender<JobResult>,
    pub audit: flume::Sender<String>,
}

pub async fn run(ctx: &Ctx, env: JobEnvelope) -> anyhow::Result<()> {
    ctx.metrics.incr("jobs_started"); //~ lock
    ctx.audit.send(format!("start {} {}", env.kind.as_str(), env.id))?; //~ fp(channel)
    let id = env.id;
    let res = match env.kind {
        JobKind::Email => email::send_email(ctx, env).await,
        JobKind::Thumbnail => thumbnail::make_thumbnail(ctx, env).await,
        JobKind::Report => report::build_report(ctx, env).await,
    };
    let outcome = match &res {
        Ok(()) => JobResult::Done(id),
        Err(e) => JobResult::Failed(id, format!("{e:#}")),
    };
    ctx.results.send(outcome).context("result collector stopped")?; //~ channel
    res
}

fn payload<T: for<'de> Deserialize<'de>>(env: &JobEnvelope) -> anyhow::Result<T> {
    serde_json::from_value(env.payload.clone()).context("bad job payload")
}
