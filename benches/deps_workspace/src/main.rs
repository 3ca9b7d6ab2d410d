//! A small service over the dependencies the benchmark reads: async code
//! that calls into each, and a few sync calls that block, as a real
//! service's first run finds them.

mod store;

use axum::{extract::State, routing::get, Json, Router};
use std::sync::Arc;

#[derive(Clone)]
struct App {
    db: sqlx::PgPool,
    cache: deadpool_redis::Pool,
    http: reqwest::Client,
}

#[derive(serde::Serialize)]
struct Status {
    users: i64,
    upstream: String,
}

async fn status(State(app): State<Arc<App>>) -> Json<Status> {
    let users: (i64,) = sqlx::query_as("SELECT count(*) FROM users")
        .fetch_one(&app.db)
        .await
        .unwrap_or((0,));
    let mut conn = app.cache.get().await.expect("redis");
    let _: Option<String> = redis::cmd("GET")
        .arg("status")
        .query_async(&mut conn)
        .await
        .ok();
    let upstream = app
        .http
        .get("https://upstream.internal/health")
        .send()
        .await
        .map(|r| r.status().to_string())
        .unwrap_or_default();
    // Blocks the worker: the sync client of the same library.
    let audit = reqwest::blocking::get("https://audit.internal/ping").map(|r| r.status());
    let _ = audit;
    store::remember(&upstream);
    Json(Status {
        users: users.0,
        upstream,
    })
}

async fn purge() -> &'static str {
    // Blocks the worker: a sync redis connection in a handler.
    if let Ok(client) = redis::Client::open("redis://127.0.0.1/") {
        if let Ok(mut conn) = client.get_connection() {
            let _: redis::RedisResult<()> = redis::cmd("FLUSHDB").query(&mut conn);
        }
    }
    "ok"
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = sqlx::postgres::PgPoolOptions::new()
        .connect("postgres://localhost/app")
        .await?;
    let cache = deadpool_redis::Config::from_url("redis://127.0.0.1/")
        .create_pool(Some(deadpool_redis::Runtime::Tokio1))?;
    let app = Arc::new(App {
        db,
        cache,
        http: reqwest::Client::new(),
    });
    let grpc = tonic::transport::Server::builder();
    drop(grpc);
    let router = Router::new()
        .route("/status", get(status))
        .route("/purge", get(purge))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, router).await?;
    Ok(())
}
