mod artwork;
mod cleanup;
mod library;
mod tags;
mod watch;

use std::path::PathBuf;
use std::sync::Arc;

use library::{EpisodeMeta, MediaLibrary};
use tokio::sync::Mutex;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "./episodes".into()));
    let lib = Arc::new(Mutex::new(MediaLibrary::new(root.clone())));

    let files = {
        let guard = lib.lock().await; //~ ok(lock)
        guard.scan()? //~ fs
    };

    let mut handles = Vec::new();
    for file in files {
        let lib = lib.clone();
        handles.push(tokio::spawn(async move { process_episode(lib, file).await }));
    }
    for h in handles {
        if let Err(e) = h.await? {
            tracing::warn!("episode failed: {e}");
        }
    }

    let report = lib.lock().await.summary(); //~ ok(lock)
    cleanup::write_report(&root.join("report.json"), &report).await?;
    cleanup::purge_rejected(&root).await?;
    tokio::spawn(watch::normalise_loop(root.clone(), "Weekly Show".into()));
    Ok(())
}

async fn process_episode(
    lib: Arc<Mutex<MediaLibrary>>,
    file: PathBuf,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let kind = file_format::FileFormat::from_file(&file)?; //~ fs
    let head = tokio::fs::read(&file).await?; //~ ok(fs)
    let sniffed = file_format::FileFormat::from_bytes(&head[..head.len().min(4096)]); //~ ok(fs)
    tracing::debug!(?kind, ?sniffed, "sniffed");

    let meta: EpisodeMeta = match kind {
        file_format::FileFormat::Mpeg12AudioLayer3 => {
            let tag = id3::Tag::async_read_from_path(&file).await?; //~ ok(fs)
            tags::meta_from_id3(&tag, &file)
        }
        file_format::FileFormat::FreeLosslessAudioCodec => {
            let tag = metaflac::Tag::read_from_path(&file)?; //~ fs
            tags::meta_from_flac(&tag, &file)
        }
        _ => tags::probe_generic(&file)?, //~ fs
    };

    if meta.title.is_empty() {
        tags::stamp_title(&file, &meta.fallback_title())?; //~ fs
    }

    let cover = artwork::CoverArt::from_sidecar(&file);
    if let Some(dim) = cover.dimensions_on_disk()? { //~ fs
        tracing::info!(w = dim.width, h = dim.height, "cover art");
    }
    let embedded = cover.embedded_dimensions(&head); //~ ok(fs)
    tracing::debug!(?embedded);

    let mut guard = lib.lock().await; //~ ok(lock)
    guard.record(meta.clone());
    guard.persist_index()?; //~ fs
    Ok(())
}
