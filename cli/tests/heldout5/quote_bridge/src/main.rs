//! Quote bridge: a command-line tool that logs in to a market data vendor, subscribes to its websocket quote feed and fans the quotes out to local TCP clients.

mod auth;
mod feeds;
mod resolve;

use std::io::Cursor;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::broadcast;

use crate::feeds::Quote;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();
    let api = std::env::var("VENDOR_API").unwrap_or_else(|_| "https://api.vendor.example".into());
    let symbols: Vec<String> = std::env::args().skip(1).collect();

    let session = match std::env::var("VENDOR_PASSWORD") {
        Ok(password) => {
            auth::login_from_reader(&api, Cursor::new(format!("{password}\n"))).await?
        }
        Err(_) => auth::interactive_login(&api).await?,
    };
    let session = auth::refresh(&api, &session).await?;

    let endpoints = resolve::resolve_all(&session.feed_hosts).await?;
    let feed_url = resolve::choose_endpoint(&endpoints).await?;
    let edge = resolve::pinned_ipv4(&session.feed_hosts[0]); //~ dns
    tracing::info!(?edge, %feed_url, "selected feed endpoint");

    let (tx, _) = broadcast::channel::<Quote>(4096);
    let known = feeds::rest::symbol_directory(&api, &session.token); //~ http_blocking
    let symbols = if symbols.is_empty() { known } else { symbols };

    let feed_tx = tx.clone();
    let feed_symbols = symbols.clone();
    let use_async = session.prefer_async;
    tokio::spawn(async move {
        let result = if use_async {
            feeds::ws::stream_quotes_async(&feed_url, &feed_symbols, feed_tx).await
        } else {
            feeds::ws::stream_quotes(&feed_url, &feed_symbols, feed_tx).await
        };
        if let Err(err) = result {
            tracing::error!(%err, "feed stopped");
        }
    });

    let refresh_api = api.clone();
    let refresh_token = session.token.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            match feeds::rest::symbol_directory_offthread(refresh_api.clone(), refresh_token.clone()).await {
                Ok(list) => tracing::debug!(symbols = list.len(), "symbol directory refreshed"),
                Err(err) => tracing::warn!(%err, "symbol directory refresh failed"),
            }
        }
    });

    if !feeds::rest::heartbeat(&format!("{api}/v2/health")).await? {
        tracing::warn!("vendor health check did not return 204");
    }
    let snapshot = feeds::rest::snapshot(&api, &session.token).await?;
    tracing::info!(bytes = snapshot.len(), "initial snapshot loaded");

    let listener = TcpListener::bind("127.0.0.1:7070").await?;
    loop {
        let (mut client, peer) = listener.accept().await?; //~ ok(net)
        let mut rx = tx.subscribe();
        let snapshot = snapshot.clone();
        tokio::spawn(async move {
            if client.write_all(&snapshot).await.is_err() { //~ ok(net)
                return;
            }
            while let Ok(quote) = rx.recv().await { //~ ok(channel)
                let line = format!("{} {} {}\n", quote.symbol, quote.bid, quote.ask);
                if client.write_all(line.as_bytes()).await.is_err() {
                    tracing::debug!(%peer, "client went away");
                    break;
                }
            }
        });
    }
}
