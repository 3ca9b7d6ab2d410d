//! Redis-backed rate limiter as a tower layer, with a local token bucket
//! when Redis is down and a hand-written throttle future.

use parking_lot::Mutex;
use redis::AsyncCommands;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tower::{Layer, Service};

pub struct LocalBucket {
    tokens: f64,
    last: Instant,
    rate: f64,
}

impl LocalBucket {
    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.rate);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Clone)]
pub struct RateLimit<S> {
    inner: S,
    redis: redis::aio::ConnectionManager,
    sync_client: Arc<redis::Client>,
    fallback: Arc<Mutex<LocalBucket>>,
    limit: u64,
}

impl<S, Req> Service<Req> for RateLimit<S>
where
    S: Service<Req, Response = http::Response<String>> + Clone + Send + 'static,
    S::Future: Send,
    Req: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Req) -> Self::Future {
        let mut inner = self.inner.clone();
        let mut redis = self.redis.clone();
        let sync_client = self.sync_client.clone();
        let fallback = self.fallback.clone();
        let limit = self.limit;
        Box::pin(async move {
            let window = Instant::now().elapsed().as_secs() / 60;
            let key = format!("rl:{window}");
            let allowed = match redis.incr::<_, _, u64>(&key, 1).await {
                Ok(n) => {
                    let _: Result<(), _> = redis.expire(&key, 60).await;
                    n <= limit
                }
                Err(_) => {
                    if let Ok(mut con) = sync_client.get_connection() { //~ db
                        let _: redis::RedisResult<String> = redis::cmd("PING").query(&mut con); //~ db
                    }
                    fallback.lock().take() //~ lock
                }
            };
            if !allowed {
                return Ok(http::Response::builder().status(429).body(String::new()).unwrap()); //~ ok(process)
            }
            inner.call(req).await //~ ok(http_blocking)
        })
    }
}

pub struct RateLimitLayer {
    client: Arc<redis::Client>,
    manager: redis::aio::ConnectionManager,
    limit: u64,
}

impl<S> Layer<S> for RateLimitLayer {
    type Service = RateLimit<S>;
    fn layer(&self, inner: S) -> RateLimit<S> {
        RateLimit {
            inner,
            redis: self.manager.clone(),
            sync_client: self.client.clone(),
            fallback: Arc::new(Mutex::new(LocalBucket { tokens: 10.0, last: Instant::now(), rate: 10.0 })),
            limit: self.limit,
        }
    }
}

/// Waits until the local bucket has a token.
pub struct Throttle {
    bucket: Arc<Mutex<LocalBucket>>,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Future for Throttle {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.bucket.lock().take() { //~ lock
            return Poll::Ready(());
        }
        if self.sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        std::thread::sleep(Duration::from_millis(5)); //~ sleep
        self.sleep.as_mut().reset(tokio::time::Instant::now() + Duration::from_millis(20));
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

pub async fn connect(url: &str) -> redis::RedisResult<RateLimitLayer> {
    let client = redis::Client::open(url)?; //~ ok(net)
    let manager = client.get_connection_manager().await?; //~ ok(net)
    let mut con = manager.clone();
    let _: () = redis::cmd("PING").query_async(&mut con).await?; //~ ok(net)
    Ok(RateLimitLayer { client: Arc::new(client), manager, limit: 100 })
}
