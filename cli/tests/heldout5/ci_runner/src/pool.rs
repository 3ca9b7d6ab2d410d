use std::fs::File;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use threadpool::ThreadPool;

use crate::Report;

fn checksum_file(path: &Path) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let Ok(mut file) = File::open(path) else {
        return 0;
    };
    let mut buf = [0u8; 64 * 1024];
    while let Ok(n) = file.read(&mut buf) {
        if n == 0 {
            break;
        }
        hasher.write(&buf[..n]);
    }
    hasher.finish()
}

pub async fn checksum_artifacts(paths: Vec<PathBuf>) -> anyhow::Result<Vec<(PathBuf, u64)>> {
    let pool = ThreadPool::new(4);
    let (tx, rx) = mpsc::channel();
    for path in paths {
        let tx = tx.clone();
        pool.execute(move || {
            let sum = checksum_file(&path); //~ ok(fs)
            let _ = tx.send((path, sum));
        });
    }
    drop(tx);
    pool.join(); //~ thread_join
    Ok(rx.try_iter().collect()) //~ ok(channel)
}

pub async fn prefetch_dependencies(workspaces: Vec<PathBuf>) -> anyhow::Result<()> {
    let pool = ThreadPool::with_name("prefetch".into(), 2);
    for workspace in workspaces {
        pool.execute(move || {
            let result = duct::cmd!("cargo", "fetch", "--locked").dir(&workspace).run(); //~ ok(process)
            if let Err(err) = result {
                tracing::warn!(workspace = %workspace.display(), %err, "prefetch failed");
            }
        });
    }
    pool.join(); //~ thread_join
    Ok(())
}

async fn publish(body: Vec<u8>) -> anyhow::Result<()> {
    tokio::fs::write("/var/lib/ci-runner/last-report.json", body).await?;
    Ok(())
}

fn summarize_blocking(report: &Report) -> anyhow::Result<String> {
    let line = format!("{} build={} tests={}/{}", report.head, report.build_ok, report.tests_passed, report.tests_failed);
    futures_lite::future::block_on(publish(line.clone().into_bytes()))?;
    Ok(line)
}

pub async fn upload_report(report: &Report) -> anyhow::Result<()> {
    let body = serde_json::to_vec(report)?;
    futures_lite::future::block_on(publish(body))?; //~ block_on
    let summary = summarize_blocking(report)?; //~ block_on
    tracing::info!(%summary, "report uploaded");
    Ok(())
}

pub async fn upload_report_offthread(report: Report) -> anyhow::Result<()> {
    let body = serde_json::to_vec(&report)?;
    tokio::task::spawn_blocking(move || futures_lite::future::block_on(publish(body))).await??; //~ ok(block_on)
    Ok(())
}
