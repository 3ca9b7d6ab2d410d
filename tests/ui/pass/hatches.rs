// Escape hatches, with their reasons: on statements, expressions, `let`s and fns.
use std::time::Duration;

#[pollguard::no_blocking]
async fn startup() -> usize {
    #[pollguard::allow_blocking("the config is read once, before serving")]
    let config = std::fs::read_to_string("Cargo.toml").unwrap();
    #[pollguard::allow_blocking(sleep, "a test fixture waits for the clock to tick")]
    std::thread::sleep(Duration::from_millis(1));
    let n = #[pollguard::allow_blocking(fs, "tiny file")] std::fs::read("Cargo.toml").unwrap().len();
    #[pollguard::allow_blocking(fs, "startup only")]
    {
        let _ = std::fs::metadata("Cargo.toml");
    }
    config.len() + n
}

// On a whole fn, on either side of `#[no_blocking]`.
#[pollguard::no_blocking]
#[pollguard::allow_blocking("a one-shot CLI entry point, nothing else runs")]
async fn cli_one() {
    std::thread::sleep(Duration::from_millis(1));
}

#[pollguard::allow_blocking("a one-shot CLI entry point, nothing else runs")]
#[pollguard::no_blocking]
async fn cli_two() {
    std::thread::sleep(Duration::from_millis(1));
}

// On a method inside a checked `impl`, and on a fn nobody checks.
struct Svc;

#[pollguard::no_blocking]
impl Svc {
    #[pollguard::allow_blocking(fs, "reads a fixture in tests only")]
    async fn fixture(&self) -> Vec<u8> {
        std::fs::read("Cargo.toml").unwrap()
    }
}

#[pollguard::allow_blocking("not checked, but the CLI reads it")]
fn unchecked() {}

// Callee paths allowed by the attribute itself.
mod cache {
    pub fn load() -> usize {
        std::fs::read("Cargo.toml").map(|v| v.len()).unwrap_or(0)
    }
}

#[pollguard::no_blocking(allow(fs, "std::thread::sleep"))]
async fn allowed() -> usize {
    std::thread::sleep(Duration::from_millis(1));
    std::fs::read("Cargo.toml").unwrap().len() + cache::load()
}

// On a `return` expression.
#[pollguard::no_blocking]
async fn early(fast: bool) -> Vec<u8> {
    if fast {
        #[pollguard::allow_blocking(fs, "a few bytes of fixture, read once")]
        return std::fs::read("Cargo.toml").unwrap();
    }
    Vec::new()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    startup().await;
    cli_one().await;
    cli_two().await;
    Svc.fixture().await;
    unchecked();
    allowed().await;
    early(true).await;
}
