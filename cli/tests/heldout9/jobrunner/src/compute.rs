//! CPU-heavy post-processing of build logs, fanned out on a rayon pool.

use rayon::prelude::*;
use rayon::ThreadPool;

pub struct Analyzer {
    pub pool: ThreadPool,
}

#[derive(Debug, Default)]
pub struct LogStats {
    pub warnings: usize,
    pub errors: usize,
}

fn classify(line: &str) -> LogStats {
    LogStats {
        warnings: line.contains("warning:") as usize,
        errors: line.contains("error:") as usize,
    }
}

impl Analyzer {
    pub fn new(threads: usize) -> anyhow::Result<Self> {
        Ok(Self { pool: rayon::ThreadPoolBuilder::new().num_threads(threads).build()? })
    }

    pub fn stats(&self, log: &str) -> LogStats {
        self.pool.install(|| {
            log.par_lines().map(classify).reduce(LogStats::default, |a, b| LogStats {
                warnings: a.warnings + b.warnings,
                errors: a.errors + b.errors,
            })
        })
    }

    pub fn fire_and_forget(&self, log: String) {
        self.pool.spawn(move || {
            let _ = log.lines().filter(|l| l.contains("panicked")).count();
        });
    }
}

pub fn digest_all(logs: &[String]) -> Vec<u64> {
    logs.par_iter().map(|l| l.bytes().map(u64::from).sum()).collect()
}
