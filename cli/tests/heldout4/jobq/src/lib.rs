//! jobq: a Redis-backed background job worker library (email, thumbnails, reports)
//! with retry, dead-lettering and a tiny Prometheus endpoint.

pub mod jobs;
pub mod metrics;
pub mod queue;

pub use queue::{JobEnvelope, JobKind, Queue};
pub use retry::{with_backoff as retrying, with_backoff_async as retrying_async};

mod retry {
    use std::future::Future;
    use std::time::Duration;

    pub fn with_backoff<T, E: std::fmt::Display>(
        attempts: u32,
        mut f: impl FnMut() -> Result<T, E>,
    ) -> Result<T, E> {
        let mut delay = Duration::from_millis(200);
        let mut n = 0;
        loop {
            match f() {
                Ok(v) => return Ok(v),
                Err(e) if n + 1 < attempts => {
                    tracing::debug!(attempt = n, error = %e, "retrying");
                    std::thread::sleep(delay);
                    delay *= 2;
                    n += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub async fn with_backoff_async<T, E, F, Fut>(attempts: u32, mut f: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut delay = Duration::from_millis(200);
        let mut n = 0;
        loop {
            match f().await {
                Ok(v) => return Ok(v),
                Err(_) if n + 1 < attempts => {
                    tokio::time::sleep(delay).await; //~ ok(sleep)
                    delay *= 2;
                    n += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}
