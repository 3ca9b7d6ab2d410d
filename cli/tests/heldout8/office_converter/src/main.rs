//! Conversion daemon: clients send `<verb> <path>` lines over TCP, the daemon converts office files.
mod archive;
mod calendar;
mod convert;
mod settings;

use std::path::PathBuf;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub use archive::Archive;
pub use settings::Settings;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let settings = Settings::load("/etc/office-converter/converter.ini")?; //~ fs
    let labels = settings::load_labels(&settings.labels_path)?; //~ fs
    let listener = TcpListener::bind(&settings.listen).await?; //~ ok(net)
    tracing::info!(labels = labels.len(), "listening on {}", settings.listen);
    loop {
        let (sock, peer) = listener.accept().await?; //~ ok(net)
        let settings = settings.clone();
        tokio::spawn(async move {
            if let Err(e) = serve(sock, settings).await {
                tracing::warn!(%peer, "client error: {e}");
            }
        });
    }
}

async fn serve(sock: TcpStream, settings: Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (r, mut w) = sock.into_split();
    let mut lines = BufReader::new(r).lines();
    let archive = Archive::new(settings.archive_dir.clone());
    while let Some(line) = lines.next_line().await? { //~ ok(net)
        let (verb, arg) = line.split_once(' ').unwrap_or((line.as_str(), ""));
        let path = PathBuf::from(arg);
        let reply = match verb {
            "ods2csv" => convert::ods_to_csv_text(&path)?, //~ fs
            "ods-stats" => {
                let wb = spreadsheet_ods::read_ods(&path)?; //~ fs
                format!("{} sheets", wb.num_sheets())
            }
            "ods-upload" => {
                let bytes = tokio::fs::read(&path).await?; //~ ok(fs)
                let wb = spreadsheet_ods::read_ods_buf(&bytes)?; //~ ok(fs)
                let mut wb = wb;
                let out = spreadsheet_ods::write_ods_buf(&mut wb, Vec::new())?; //~ ok(fs)
                tokio::fs::write(path.with_extension("norm.ods"), out).await?; //~ ok(fs)
                "normalised".into()
            }
            "xml-titles" => convert::xml_titles(&path)?.join(","), //~ fs
            "ics" => calendar::summarize(&path)?, //~ fs
            "pack" => {
                let packed = archive.gzip(&path)?; //~ fs
                packed.display().to_string()
            }
            "unpack-zst" => {
                let n = archive.unzstd(&path)?; //~ fs
                format!("{n} bytes")
            }
            "props" => {
                let f = std::fs::File::open(&path)?; //~ fs
                let map = java_properties::read(std::io::BufReader::new(f))?; //~ fs
                format!("{} keys", map.len())
            }
            _ => "unknown verb".into(),
        };
        w.write_all(reply.as_bytes()).await?; //~ ok(net)
        w.write_all(b"\n").await?; //~ ok(net)
    }
    Ok(())
}
