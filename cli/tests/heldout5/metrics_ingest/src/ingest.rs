use std::time::Duration;

use tokio::net::UdpSocket;

use crate::bus;
use crate::stats;
use crate::storage::Point;

fn parse_line(line: &str, max_series_len: usize) -> Option<Point> {
    let mut parts = line.split_whitespace();
    let series = parts.next()?;
    if series.len() > max_series_len {
        return None;
    }
    let value = parts.next()?.parse().ok()?;
    let ts = parts.next()?.parse().ok()?;
    Some(Point {
        series: series.to_string(),
        ts,
        value,
    })
}

pub async fn listen(addr: &str, tx: async_channel::Sender<Vec<Point>>) -> anyhow::Result<()> {
    let socket = UdpSocket::bind(addr).await?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut batch = Vec::new();
    loop {
        let (len, _peer) = socket.recv_from(&mut buf).await?; //~ ok(net)
        let limits = stats::limits().await;
        let payload = if buf.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            match zstd::bulk::decompress(&buf[..len], 1 << 20) { //~ ok(fs)
                Ok(raw) => raw,
                Err(_) => {
                    stats::note_drop().await;
                    continue;
                }
            }
        } else {
            buf[..len].to_vec()
        };

        let text = String::from_utf8_lossy(&payload);
        batch.extend(text.lines().filter_map(|l| parse_line(l, limits.max_series_len)));
        if batch.len() >= limits.max_batch {
            let full = std::mem::take(&mut batch);
            bus::enqueue(&tx, full).await?;
            if tx.len() > tx.capacity().unwrap_or(usize::MAX) / 2 {
                spin_sleep::sleep(Duration::from_micros(500)); //~ sleep
            }
        } else if batch.len() < 16 {
            std::thread::sleep(Duration::from_millis(1)); //~ sleep
        }
    }
}
