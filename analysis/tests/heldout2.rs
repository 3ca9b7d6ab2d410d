//! Recall and precision over a second held-out corpus, written blind after
//! the engine was tuned on `tests/corpus/` and `tests/heldout/`, to estimate
//! how the engine does on code it was not tuned on.
//!
//! The files in `tests/heldout2/` were written without reading the engine's
//! source or the earlier corpora, and every line is labeled by the truth (does
//! this call block the thread when it runs in async context?), with the labels
//! and the measurement of `common/mod.rs`.
//!
//! History, so the numbers are read right: this is a second blind set,
//! written on 2026-11-25, after the engine had been tuned on both
//! `tests/corpus/` and `tests/heldout/`, by an author who read neither them,
//! the engine's source nor its unit tests. Measured blind once, at commit
//! 388baf2: 72 of 93 blocking calls found (77% recall), no false positive in
//! 113 traps (100% precision). Its misses were then fixed (sync libraries
//! added to the catalog: git2, tantivy, serialport, lettre, rusqlite and
//! postgres types; locks that remember what they guard; trait objects) and
//! the labels updated (89 found), so it is one more tuning corpus now; the
//! honest number is `tests/heldout3/`'s. On 2026-12-01 a Rayon parallel
//! iterator run inline in an async fn (`sensor_aggregator.rs`,
//! `publish_inline`), left unlabeled by its author, became a label: the
//! engine reports it since it learned Rayon's waits (the caller parks until
//! the pool is done), and heldout9's blind author labels the same thing as
//! blocking.

mod common;

#[test]
fn heldout2_recall_and_precision() {
    common::measure("heldout2", 10);
}
