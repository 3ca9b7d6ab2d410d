use std::io::BufRead;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::broadcast;
use tungstenite::Message;

use super::{subscribe_message, Quote};

pub async fn stream_quotes(url: &str, symbols: &[String], out: broadcast::Sender<Quote>) -> anyhow::Result<()> {
    let (mut socket, response) = tungstenite::connect(url)?; //~ net
    tracing::info!(status = %response.status(), "feed connected");
    socket.send(Message::text(subscribe_message(symbols)))?; //~ net

    let mut since_flush = 0usize;
    loop {
        match socket.read()? { //~ net
            Message::Text(text) => {
                let quote: Quote = serde_json::from_str(text.as_str())?;
                let _ = out.send(quote); //~ ok(channel)
            }
            Message::Ping(_) => {
                since_flush += 1;
                if since_flush >= 16 {
                    socket.flush()?; //~ net
                    since_flush = 0;
                }
            }
            Message::Close(frame) => {
                tracing::warn!(?frame, "feed closed by vendor");
                break;
            }
            _ => {}
        }
    }
    socket.close(None)?; //~ net

    println!("feed closed, press enter to exit");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?; //~ stdio
    Ok(())
}

pub async fn stream_quotes_async(url: &str, symbols: &[String], out: broadcast::Sender<Quote>) -> anyhow::Result<()> {
    let (mut ws, _response) = tokio_tungstenite::connect_async(url).await?; //~ ok(net)
    ws.send(Message::text(subscribe_message(symbols))).await?; //~ ok(net)
    while let Some(message) = ws.next().await { //~ ok(net)
        match message? {
            Message::Text(text) => {
                let quote: Quote = serde_json::from_str(text.as_str())?;
                let _ = out.send(quote);
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    Ok(())
}
