// Nested contexts: async blocks inside sync code inside async code, and back.
#[pollguard::no_blocking]
async fn outer() {
    let d = std::time::Duration::from_millis(1);
    // A nested fn is sync: its own rules, not the async fn's.
    fn helper(d: std::time::Duration) {
        std::thread::sleep(d);
    }
    let job = tokio::task::spawn_blocking(move || {
        helper(d);
        // Async again, inside the offloaded closure.
        tokio::runtime::Handle::current().spawn(async move {
            std::thread::sleep(d);
        })
    });
    let _ = job.await;
    let later = async move {
        std::thread::sleep(d);
    };
    later.await;
}

#[pollguard::no_blocking]
fn spawner() -> tokio::task::JoinHandle<()> {
    std::thread::sleep(std::time::Duration::from_millis(1)); // sync: fine
    tokio::spawn(async {
        std::thread::sleep(std::time::Duration::from_millis(1));
    })
}

fn main() {}
