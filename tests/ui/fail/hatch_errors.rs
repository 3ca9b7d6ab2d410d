// Escape hatches need a reason, and known categories.
#[pollguard::no_blocking]
async fn startup() {
    #[pollguard::allow_blocking]
    std::thread::sleep(std::time::Duration::from_millis(1));
    #[pollguard::allow_blocking(fss, "config is tiny")]
    let _ = std::fs::read("app.toml");
    #[pollguard::allow_blocking(fs, "")]
    let _ = std::fs::read("app.toml");
}

// On a fn outside any checked item: the attribute checks itself.
#[pollguard::allow_blocking]
async fn cli_entry() {}

#[pollguard::allow_blocking(sleeep, "waits for the device")]
fn device() {}

// A hatch for one category leaves the others reported.
#[pollguard::no_blocking]
async fn partial() {
    #[pollguard::allow_blocking(fs, "config is read once, at startup")]
    {
        let _ = std::fs::read("app.toml");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

// On a `return` expression, the hatch is read and checked like any other.
#[pollguard::no_blocking]
async fn early() -> Vec<u8> {
    #[pollguard::allow_blocking(fs)]
    return std::fs::read("app.toml").unwrap();
}

fn main() {}
