// `warn`: warnings instead of errors, as `deprecated` lints at the call;
// `-D warnings` (here `#![deny(deprecated)]`) makes them fail a CI build.
#![deny(deprecated)]

#[pollguard::no_blocking(warn)]
async fn handler() {
    std::thread::sleep(std::time::Duration::from_millis(1));
    let _ = std::fs::read("x");
}

struct Svc;

#[pollguard::no_blocking(warn)]
impl Svc {
    async fn call(&self) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

// `warn(fs)`: only that category warns; the others stay errors.
#[pollguard::no_blocking(warn(fs))]
async fn mixed() {
    let _ = std::fs::read("x");
    std::thread::sleep(std::time::Duration::from_millis(1));
}

fn main() {}
