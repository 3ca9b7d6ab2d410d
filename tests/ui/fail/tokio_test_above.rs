// Above `#[tokio::test]`. (Below it, `#[test]` drops the fn outside of
// `cargo test`, so only `tests/attribute_watchdog.rs` can see that order.)
#[pollguard::no_blocking]
#[tokio::test]
async fn reads_config() {
    let text = std::fs::read_to_string("Cargo.toml").unwrap();
    assert!(!text.is_empty());
}

fn main() {}
