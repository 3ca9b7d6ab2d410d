// What the watchdog wrapping must keep compiling: `?` with inferred errors,
// early `return`, `self` and borrowed parameters, elided lifetimes,
// `impl Trait` in the output, generics, `impl Future` fns, and options.
use std::fmt::Display;
use std::future::Future;

#[derive(Debug)]
struct MyError;

impl From<std::num::ParseIntError> for MyError {
    fn from(_: std::num::ParseIntError) -> Self {
        MyError
    }
}

#[pollguard::no_blocking]
async fn parse(text: &str) -> Result<u32, MyError> {
    if text.is_empty() {
        return Ok(0);
    }
    let n: u32 = text.trim().parse()?;
    Ok(n)
}

#[pollguard::no_blocking]
async fn boxed() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let n: u32 = "7".parse()?;
    tokio::fs::metadata("Cargo.toml").await?;
    let _ = n;
    Ok(())
}

#[pollguard::no_blocking]
async fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or("")
}

#[pollguard::no_blocking]
async fn shown(n: u32) -> impl Display {
    n * 2
}

#[pollguard::no_blocking(budget = "250ms")]
async fn generic<T: Display + Send>(items: Vec<T>) -> String {
    items.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

#[pollguard::no_blocking(watchdog = false)]
async fn unwatched((a, b): (u32, u32)) -> u32 {
    a + b
}

#[pollguard::no_blocking]
fn later(n: u32) -> impl Future<Output = u32> {
    async move { n + 1 }
}

struct Counter {
    n: u32,
}

#[pollguard::no_blocking]
impl Counter {
    async fn bump(&mut self) -> u32 {
        self.n += 1;
        self.n
    }

    async fn into_inner(self) -> u32 {
        self.n
    }

    async fn describe<'a>(&'a self, prefix: &'a str) -> String {
        format!("{prefix}{}", self.n)
    }
}

#[pollguard::no_blocking]
mod nested {
    pub async fn inner() -> u8 {
        1
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(parse("42").await.unwrap(), 42);
    assert_eq!(parse("").await.unwrap(), 0);
    assert!(parse("x").await.is_err());
    boxed().await.unwrap();
    assert_eq!(first_word("hello world").await, "hello");
    assert_eq!(shown(2).await.to_string(), "4");
    assert_eq!(generic(vec![1, 2]).await, "1,2");
    assert_eq!(unwatched((1, 2)).await, 3);
    assert_eq!(later(1).await, 2);
    let mut c = Counter { n: 0 };
    assert_eq!(c.bump().await, 1);
    assert_eq!(c.describe("n=").await, "n=1");
    assert_eq!(c.into_inner().await, 1);
    assert_eq!(nested::inner().await, 1);
}
