//! UI tests of `#[pollguard::no_blocking]` and its companions: what users see.
//!
//! One case: `cargo test --test ui -- ui trybuild=forum.rs`.
//! New or changed snapshots: `TRYBUILD=overwrite cargo test --test ui`, then
//! read every `.stderr`: they are the user's experience.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
