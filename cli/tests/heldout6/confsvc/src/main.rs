//! confsvc — serves merged configuration (legacy INI, XML feature flags,
//! YAML overrides) to other services over HTTP.

mod api;
mod prefs;
mod settings;
mod sources;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::settings::Settings;
use crate::sources::Snapshot;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = settings::load("confsvc.toml")?; //~ fs
    let defaults = settings::builtin_defaults()?; //~ ok(fs)
    tracing::info!(?settings, ?defaults, "settings loaded");

    let prefs = prefs::UiPrefs::load()?; //~ fs
    tracing::info!(theme = %prefs.theme, "ui prefs");

    let first = sources::load_all(&settings)?; //~ fs
    let state = api::AppState {
        settings: Arc::new(settings.clone()),
        snapshot: Arc::new(RwLock::new(first)),
        overrides: Arc::new(tokio::sync::RwLock::new(BTreeMap::new())),
    };

    tokio::spawn(refresher(state.clone()));

    let listener = tokio::net::TcpListener::bind(&settings.listen).await?;
    axum::serve(listener, api::router(state)).await?;
    Ok(())
}

/// Re-reads all sources periodically; the parse work runs on the blocking pool.
async fn refresher(state: api::AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(state.settings.refresh_secs));
    loop {
        tick.tick().await;
        let settings = state.settings.clone();
        let fresh: anyhow::Result<Snapshot> = match tokio::task::spawn_blocking(move || sources::load_all(&settings)).await { //~ ok(fs)
            Ok(r) => r,
            Err(e) => Err(e.into()),
        };
        match fresh {
            Ok(snap) => {
                let mut guard = state.snapshot.write().unwrap(); //~ lock
                *guard = snap;
            }
            Err(e) => tracing::warn!(error = %e, "refresh failed"),
        }
    }
}
