use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use jobq::jobs::{self, Ctx, JobResult};
use jobq::metrics::{self, Metrics};
use jobq::{JobKind, Queue};

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1/")]
    redis: String,
    #[arg(long, default_value = "jobs")]
    queue: String,
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    #[arg(long, default_value = "/var/tmp/jobq")]
    scratch: PathBuf,
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    #[arg(long, env = "MAIL_API")]
    mail_api: String,
    #[arg(long, env = "UPLOAD_URL")]
    upload_url: String,
    #[arg(long, default_value = "0.0.0.0:9187")]
    metrics_addr: String,
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let args = Args::parse();
    std::fs::create_dir_all(&args.scratch)?; //~ ok(fs)
    let queue = Arc::new(Queue::connect(&args.redis, &args.queue)?); //~ ok(db)

    let (results_tx, results_rx) = crossbeam_channel::bounded::<JobResult>(64);
    let (audit_tx, audit_rx) = flume::unbounded::<String>();
    let collector = std::thread::spawn(move || {
        let (mut ok, mut failed) = (0u64, 0u64);
        for r in results_rx.iter() { //~ ok(channel)
            match r {
                JobResult::Done(_) => ok += 1,
                JobResult::Failed(id, e) => {
                    failed += 1;
                    tracing::warn!(%id, error = %e, "job failed");
                }
            }
        }
        (ok, failed)
    });

    let ctx = Arc::new(Ctx {
        queue,
        http: reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?, //~ ok(http_blocking)
        async_http: reqwest::Client::new(),
        metrics: Arc::new(Metrics::default()),
        scratch: args.scratch.clone(),
        templates: args.templates.clone(),
        mail_api: args.mail_api.clone(),
        upload_url: args.upload_url.clone(),
        results: results_tx,
        audit: audit_tx,
    });

    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(run(ctx, audit_rx, args))?; //~ ok(block_on)
    drop(rt);
    let (ok, failed) = collector.join().expect("collector panicked"); //~ ok(thread_join)
    tracing::info!(ok, failed, "worker stopped");
    Ok(())
}

async fn run(ctx: Arc<Ctx>, audit_rx: flume::Receiver<String>, args: Args) -> anyhow::Result<()> {
    tokio::spawn(async move {
        while let Ok(line) = audit_rx.recv_async().await { //~ ok(channel)
            tracing::info!(target: "audit", "{line}");
        }
    });
    tokio::spawn(metrics::serve(ctx.metrics.clone(), args.metrics_addr.clone()));
    for id in 0..args.concurrency {
        tokio::spawn(worker_loop(id, ctx.clone()));
    }

    let mut shutdown = std::pin::pin!(tokio::signal::ctrl_c());
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tokio::time::sleep(Duration::from_secs(15)) => {} //~ ok(sleep)
        }
        let depth = ctx.queue.len()?; //~ miss(db), fp(lock)
        ctx.metrics.gauge("queue_depth", depth as f64); //~ lock
    }
    Ok(())
}

async fn worker_loop(id: usize, ctx: Arc<Ctx>) {
    loop {
        let env = match ctx.queue.pop(Duration::from_secs(5)) { //~ db
            Ok(Some(env)) => env,
            Ok(None) => continue,
            Err(e) => {
                tracing::error!(worker = id, error = %e, "redis pop failed");
                std::thread::sleep(Duration::from_secs(1)); //~ sleep
                continue;
            }
        };
        let started = Instant::now();
        match jobs::run(&ctx, env.clone()).await {
            Ok(()) => ctx.metrics.observe(env.kind.as_str(), started.elapsed()), //~ lock
            Err(e) if env.attempts >= 5 => {
                if let Err(e2) = ctx.queue.dead_letter(&env, &format!("{e:#}")) { //~ miss(db), fp(lock)
                    tracing::error!(error = %e2, "dead-letter failed");
                }
            }
            Err(_) if env.kind == JobKind::Email => {
                let retry = env.retry();
                let _ = jobq::retrying_async(3, || ctx.queue.push_async(&retry)).await;
            }
            Err(_) => {
                let _ = ctx.queue.push(&env.retry()); //~ miss(db), fp(lock)
            }
        }
    }
}
