use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::formats::{self, LedgerRow};

pub async fn stage_rows(staging: &Path, name: &str, rows: &[LedgerRow]) -> anyhow::Result<PathBuf> {
    let mut buf = Vec::with_capacity(rows.len() * 96);
    formats::write_jsonl(&mut buf, rows)?; //~ ok(fs)
    let compressed = zstd::bulk::compress(&buf, 9)?; //~ ok(fs)
    let out = staging.join(format!("{name}.jsonl.zst"));
    tokio::fs::write(&out, compressed).await?; //~ ok(fs)
    Ok(out)
}

pub async fn stage_rows_direct(
    staging: &Path,
    name: &str,
    rows: &[LedgerRow],
) -> anyhow::Result<PathBuf> {
    let tmp = staging.join(format!("{name}.jsonl"));
    let file = File::create(&tmp)?; //~ fs
    formats::write_jsonl(BufWriter::new(file), rows)?; //~ fs

    let out = staging.join(format!("{name}.jsonl.zst"));
    let src = File::open(&tmp)?; //~ fs
    let dst = File::create(&out)?; //~ fs
    zstd::stream::copy_encode(src, dst, 9)?; //~ fs
    std::fs::remove_file(&tmp)?; //~ fs
    Ok(out)
}

pub async fn verify_stage(path: &Path) -> anyhow::Result<usize> {
    let file = File::open(path)?; //~ fs
    let raw = zstd::decode_all(file)?; //~ fs
    Ok(raw.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count())
}

pub async fn verify_blob(blob: &[u8]) -> anyhow::Result<usize> {
    let raw = zstd::decode_all(blob)?; //~ ok(fs)
    Ok(raw.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count())
}

pub async fn archive_day(staging: &Path) -> anyhow::Result<()> {
    let manifest = zstd::compress_file(staging.join("manifest.json"), 19)?; //~ fs
    tokio::fs::write(staging.join("manifest.json.zst"), manifest).await?;

    let marker = zstd::encode_all(&b"ledger-etl:complete\n"[..], 3)?; //~ ok(fs)
    tokio::fs::write(staging.join("_DONE.zst"), marker).await?;
    Ok(())
}

pub async fn write_summary(path: &Path, summary: &str) -> anyhow::Result<()> {
    let file = File::create(path)?; //~ fs
    let mut encoder = GzEncoder::new(file, Compression::default()); //~ ok(fs)
    encoder.write_all(summary.as_bytes())?; //~ fs
    encoder.finish()?; //~ fs
    Ok(())
}
