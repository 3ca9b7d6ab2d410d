//! Recall and precision over a third held-out corpus, written blind after
//! the engine was tuned on `tests/corpus/`, `tests/heldout/` and
//! `tests/heldout2/`, to estimate how the engine does on code it was not
//! tuned on.
//!
//! The files in `tests/heldout3/` were written without reading the engine's
//! source or the earlier corpora, and every line is labeled by the truth (does
//! this call block the thread when it runs in async context?), with the labels
//! and the measurement of `common/mod.rs`.
//!
//! History, so the numbers are read right: this is a third blind set,
//! written on 2026-11-25, after the engine had been tuned on the three earlier
//! sets (`tests/corpus/`, `tests/heldout/`, `tests/heldout2/`), by an author
//! who read none of them, the engine's source nor its unit tests. Measured
//! blind once, at commit 8f25025: 99 of 146 blocking calls found (68%
//! recall), no false positive in 138 traps (100% precision); most misses are
//! libraries outside the catalog (sled, RocksDB, csv, zip, notify), calls
//! through a connection or transaction the engine did not type (sync
//! `postgres`, pooled `rusqlite`, sync `redis` commands), blocking response
//! bodies, child-process pipes and `std::fs::File` fields reached through
//! guards. Do not use this set for tuning: fixing the engine on its misses and
//! updating the labels here would make it one more tuning corpus; the next
//! honest number needs a new blind set.

mod common;

#[test]
fn heldout3_recall_and_precision() {
    common::measure("heldout3", 10);
}
