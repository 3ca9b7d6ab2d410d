use std::collections::HashMap;

use scoped_threadpool::Pool;

use crate::books::Entry;

/// Sums balances per account using a scoped pool; returns once every worker is done.
pub fn totals_in_parallel(entries: &[Entry], threads: u32) -> HashMap<String, i64> {
    let mut pool = Pool::new(threads);
    let chunks: Vec<&[Entry]> = entries.chunks(entries.len().max(1) / threads as usize + 1).collect();
    let results = antidote::Mutex::new(HashMap::new());
    pool.scoped(|scope| {
        for chunk in &chunks {
            let results = &results;
            scope.execute(move || {
                for e in *chunk {
                    *results.lock().entry(e.account.clone()).or_insert(0) += e.amount_eur_cents;
                }
            });
        }
    });
    results.into_inner()
}

pub async fn nightly(entries: Vec<Entry>) -> usize {
    let mut pool = Pool::new(2); //~ ok(thread_join)
    let shared = antidote::RwLock::new(0usize);
    pool.scoped(|s| { //~ thread_join
        s.execute(|| *shared.write() += entries.len());
    });
    let n = *shared.read(); //~ lock
    let guard = shared.try_write(); //~ ok(lock)
    drop(guard);
    let totals = tokio::task::spawn_blocking(move || totals_in_parallel(&entries, 2)).await.unwrap_or_default(); //~ ok(thread_join)
    tracing::debug!(accounts = totals.len());
    n
}
