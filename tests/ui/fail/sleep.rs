// pollguard::sleep: `std::thread::sleep`, however it is named.
use std::time::Duration;

#[pollguard::no_blocking]
async fn poll_later() {
    std::thread::sleep(Duration::from_millis(10));
    ::std::thread::sleep(Duration::from_millis(10));
}

#[pollguard::no_blocking]
async fn imported_inside() {
    use std::thread;
    thread::sleep(Duration::from_millis(10));
}

fn main() {}
