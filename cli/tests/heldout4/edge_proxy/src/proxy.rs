use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::accesslog::{AccessLog, AuditSink, Entry};
use crate::config::Acl;
use crate::limits::RateLimiter;
use crate::upstream::UpstreamPool;

pub struct App {
    pub pool: Arc<UpstreamPool>,
    pub limits: RateLimiter,
    pub acl: ArcSwap<Acl>,
    pub log: AccessLog,
    pub audit: AuditSink,
    pub client: reqwest::Client,
    pub config_path: PathBuf,
    pub listen: SocketAddr,
}

pub async fn forward(
    State(app): State<Arc<App>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let started = Instant::now();
    if app.acl.load().is_denied(peer.ip()) { //~ ok(lock)
        app.audit.write(format!("denied {peer} {}", req.uri())); //~ ok(fs)
        return StatusCode::FORBIDDEN.into_response();
    }
    if !app.limits.allow(peer.ip()) { //~ lock
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    let Some(backend) = app.pool.pick() else { //~ lock
        return StatusCode::BAD_GATEWAY.into_response();
    };

    let (parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    let upstream = app
        .client
        .request(parts.method.clone(), format!("{}{}", backend.base_url(), path))
        .headers(parts.headers.clone())
        .body(reqwest::Body::wrap_stream(body.into_data_stream()))
        .send() //~ ok(http_blocking)
        .await;

    let response = match upstream {
        Ok(resp) => {
            let mut builder = Response::builder().status(resp.status());
            for (k, v) in resp.headers() {
                builder = builder.header(k, v);
            }
            builder
                .body(Body::from_stream(resp.bytes_stream()))
                .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
        }
        Err(e) => {
            app.pool.mark_down(&backend); //~ ok(lock)
            tracing::warn!(upstream = %backend.addr, error = %e, "upstream request failed");
            StatusCode::BAD_GATEWAY.into_response()
        }
    };

    app.log.write(&Entry { //~ fs
        peer,
        method: parts.method.as_str(),
        path: &path,
        status: response.status().as_u16(),
        upstream: backend.addr,
        took: started.elapsed(),
    });
    response
}
