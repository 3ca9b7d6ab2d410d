// The attribute checks async code: elsewhere it says where it goes.
#[pollguard::no_blocking]
struct Config {
    path: String,
}

#[pollguard::no_blocking]
fn load() -> String {
    std::fs::read_to_string("app.toml").unwrap()
}

#[pollguard::no_blocking]
const LIMIT: usize = 3;

#[pollguard::blocking]
async fn query() {}

#[pollguard::blocking]
struct Db;

#[pollguard::blocking(slow)]
fn slow_query() {}

fn main() {}
