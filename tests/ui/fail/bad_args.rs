// Bad arguments are named, all of them in one compile.
#[pollguard::no_blocking(alow(fs))]
async fn a() {}

#[pollguard::no_blocking(allow(fss, lock), deny(sleeep))]
async fn b() {}

#[pollguard::no_blocking(budget = "20", watchdog = "no")]
async fn c() {}

#[pollguard::no_blocking(budget = "0ms", strict)]
async fn d() {}

#[pollguard::no_blocking(blocking(my::query), deny("std::fs::read"))]
async fn e() {}

#[pollguard::no_blocking(allow())]
async fn f() {}

#[pollguard::no_blocking(crate = "pollguard 2")]
async fn g() {}

fn main() {}
