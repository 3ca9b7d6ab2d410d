//! A small reverse proxy on hyper: round-robin upstreams resolved from DNS,
//! TCP health checks, and a hand-written future that times out slow upstreams.

use std::future::Future;
use std::io::{Read, Write as _};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use parking_lot::RwLock as PlRwLock;

pub struct Upstreams {
    hosts: Vec<String>,
    resolved: PlRwLock<Vec<SocketAddr>>,
    next: AtomicUsize,
}

impl Upstreams {
    pub async fn refresh(&self) {
        let mut addrs = Vec::new();
        for h in &self.hosts {
            if let Ok(it) = h.as_str().to_socket_addrs() { //~ dns
                addrs.extend(it);
            }
        }
        let ok = self.check_all(&addrs).await;
        *self.resolved.write() = ok; //~ lock
    }

    pub async fn refresh_async(&self) {
        let mut addrs = Vec::new();
        for h in &self.hosts {
            if let Ok(it) = tokio::net::lookup_host(h.as_str()).await { //~ ok(dns)
                addrs.extend(it);
            }
        }
        *self.resolved.write() = addrs; //~ lock
    }

    async fn check_all(&self, addrs: &[SocketAddr]) -> Vec<SocketAddr> {
        let mut alive = Vec::new();
        for a in addrs {
            match TcpStream::connect_timeout(a, Duration::from_millis(200)) { //~ net
                Ok(mut s) => {
                    s.write_all(b"PING\r\n").ok(); //~ net
                    let mut buf = [0u8; 6];
                    if s.read_exact(&mut buf).is_ok() && &buf == b"PONG\r\n" { //~ net
                        alive.push(*a);
                    }
                    s.flush().ok(); //~ ok(net)
                }
                Err(e) => tracing::warn!(%a, %e, "upstream down"),
            }
        }
        alive
    }

    fn pick(&self) -> Option<SocketAddr> {
        let list = self.resolved.read(); //~ ok(lock)
        if list.is_empty() {
            return None;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % list.len();
        Some(list[i])
    }
}

pub struct Deadline<F> {
    inner: Pin<Box<F>>,
    sleep: Pin<Box<tokio::time::Sleep>>,
    polls: Arc<std::sync::Mutex<u32>>,
}

impl<F: Future> Future for Deadline<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        *self.polls.lock().unwrap() += 1; //~ lock
        if let Poll::Ready(v) = self.inner.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        match self.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

pub async fn proxy(
    ups: Arc<Upstreams>,
    client: Client<hyper_util::client::legacy::connect::HttpConnector, Incoming>,
    mut req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let Some(addr) = ups.pick() else {
        return Ok(Response::builder().status(502).body(Full::new(Bytes::new())).unwrap()); //~ ok(process)
    };
    let uri = format!("http://{addr}{}", req.uri().path());
    *req.uri_mut() = uri.parse().unwrap();
    let fut = Deadline {
        inner: Box::pin(client.request(req)),
        sleep: Box::pin(tokio::time::sleep(Duration::from_secs(5))), //~ ok(sleep)
        polls: Arc::default(),
    };
    match fut.await {
        Some(Ok(resp)) => {
            let (parts, body) = resp.into_parts();
            let bytes = http_body_util::BodyExt::collect(body).await?.to_bytes();
            Ok(Response::from_parts(parts, Full::new(bytes)))
        }
        _ => Ok(Response::builder().status(504).body(Full::new(Bytes::new())).unwrap()), //~ ok(process)
    }
}

pub fn serve(ups: Arc<Upstreams>) -> std::io::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let listener = std::net::TcpListener::bind("0.0.0.0:8080")?;
    listener.set_nonblocking(true)?;
    rt.block_on(async move { //~ ok(block_on)
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let client = Client::builder(TokioExecutor::new()).build_http();
        loop {
            let (sock, _) = listener.accept().await.unwrap(); //~ ok(net)
            let (ups, client) = (ups.clone(), client.clone());
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |r| proxy(ups.clone(), client.clone(), r));
                let io = hyper_util::rt::TokioIo::new(sock);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, svc).await;
            });
        }
    })
}
