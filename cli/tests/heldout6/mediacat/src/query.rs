//! Line protocol: `get <path>`, `longer <secs>`, `probe <path>`, `count`.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::audio;
use crate::catalog::Catalog;

pub async fn serve(catalog: Arc<Catalog>, addr: &'static str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(addr).await?; //~ ok(net)
    loop {
        let (sock, _) = listener.accept().await?; //~ ok(net)
        let c = catalog.clone();
        tokio::spawn(async move {
            if let Err(e) = client(sock, c).await {
                tracing::debug!(error = %e, "client gone");
            }
        });
    }
}

async fn client(sock: TcpStream, catalog: Arc<Catalog>) -> anyhow::Result<()> {
    let (rd, mut wr) = sock.into_split();
    let mut lines = BufReader::new(rd).lines();
    while let Some(line) = lines.next_line().await? { //~ ok(net)
        let (cmd, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let reply = match cmd {
            "count" => catalog.count()?.to_string(), //~ db
            "get" => match catalog.get(arg)? { //~ db
                Some(r) => format!("{:.1}s {}ch {}Hz peak {:.2}", r.seconds, r.channels, r.sample_rate, r.peak),
                None => "unknown".into(),
            },
            "longer" => {
                let secs: f64 = arg.parse().unwrap_or(0.0);
                catalog.longer_than(secs, 20)?.join("\n") //~ db
            }
            "spec" => {
                let spec = audio::spec_of(std::path::Path::new(arg))?; //~ fs
                format!("{spec:?}")
            }
            "probe" => {
                let bytes = tokio::fs::read(arg).await?; //~ ok(fs)
                let p = audio::probe_bytes(&bytes)?; //~ ok(fs)
                format!("{:.2}s peak {:.2}", p.seconds(), p.peak)
            }
            "deep" => {
                let path = std::path::PathBuf::from(arg);
                let worker = std::thread::spawn(move || audio::probe_file(&path)); //~ ok(fs)
                let p = worker.join().map_err(|_| anyhow::anyhow!("probe thread panicked"))??; //~ thread_join
                format!("{:.2}s peak {:.2}", p.seconds(), p.peak)
            }
            "both" => {
                let path = std::path::PathBuf::from(arg);
                let (a, b) = rayon::join(|| audio::probe_file(&path), || audio::spec_of(&path)); //~ thread_join
                format!("{:?} {:?}", a.map(|p| p.frames).ok(), b.ok())
            }
            "tone" => {
                let path = std::path::PathBuf::from(arg);
                audio::write_tone(&path, 1000.0, 0.5)?; //~ fs
                let p = audio::probe_file(&path)?; //~ fs
                format!("wrote {} frames", p.frames)
            }
            "flush" => {
                catalog.flush()?; //~ db
                "ok".into()
            }
            _ => "?".into(),
        };
        wr.write_all(reply.as_bytes()).await?; //~ ok(net)
        wr.write_all(b"\n").await?;
    }
    Ok(())
}
