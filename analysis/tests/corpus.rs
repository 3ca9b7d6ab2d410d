//! Recall and precision over a labeled corpus of realistic async code.
//!
//! The files in `tests/corpus/` are the tuning corpus: the engine is
//! improved against them. Their label syntax and the measurement are in
//! `common/mod.rs`.

mod common;

#[test]
fn corpus_recall_and_precision() {
    common::measure("corpus", 8);
}
