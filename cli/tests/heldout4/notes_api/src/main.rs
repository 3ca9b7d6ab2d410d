use std::sync::Arc;

use notes_api::{db, routes, AppState, Config};
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let config = Arc::new(Config::from_env()?);

    let manager = PostgresConnectionManager::new(config.db_url.parse()?, NoTls);
    let pool = r2d2::Pool::builder()
        .max_size(config.pool_size)
        .min_idle(Some(2))
        .build(manager)?; //~ miss(db)

    let mut conn = pool.get()?; //~ miss(db)
    db::run_migrations(&mut conn)?; //~ db
    drop(conn);

    if let Some(path) = &config.banner_path {
        let banner = std::fs::read_to_string(path)?; //~ fs
        println!("{banner}");
    }

    let state = AppState::new(pool, config.clone());
    let app = routes::router(state);
    let listener = tokio::net::TcpListener::bind(&config.listen).await?; //~ ok(net)
    tracing::info!("listening on {}", config.listen);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
