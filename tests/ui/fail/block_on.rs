// pollguard::block_on: driving a future on the current thread, inside a runtime.
#[pollguard::no_blocking]
async fn nested(rt: &tokio::runtime::Runtime) -> u32 {
    let a = tokio::runtime::Handle::current().block_on(async { 1 });
    let b = rt.block_on(async { 2 });
    a + b
}

fn main() {}
