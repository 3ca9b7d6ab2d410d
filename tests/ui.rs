//! UI tests of `#[pollguard::no_blocking]` and its companions: what users see.
//!
//! The `.stderr` snapshots are what rustc 1.95 prints, and rustc rewords its
//! messages between releases: on any other compiler the suite is ignored, with
//! a note that names the one to use, instead of failing over wording.
//! `.ci/run` runs it on the pinned compiler whatever the default is.
//!
//! One case: `cargo +1.95.0 test --test ui -- ui trybuild=forum.rs`.
//! New or changed snapshots, on the pinned compiler only:
//! `TRYBUILD=overwrite cargo +1.95.0 test --test ui`, then read every
//! `.stderr`: they are the user's experience. Moving the pin to a newer
//! compiler is one commit: the version here and in `.ci/run`, and the
//! snapshots re-blessed with it.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the UI snapshots are rustc 1.95's: run `cargo +1.95.0 test --test ui`"
)]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
