use std::fs::File;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use async_zip::{Compression as ZipCompression, ZipEntryBuilder};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

pub async fn write_tar_gz(source: &Path, files: &[PathBuf], dest: &Path) -> anyhow::Result<PathBuf> {
    let file = File::create(dest)?; //~ fs
    let encoder = GzEncoder::new(file, Compression::fast()); //~ ok(fs)
    let mut builder = tar::Builder::new(encoder); //~ ok(fs)
    builder.follow_symlinks(false);
    for path in files {
        let rel = path.strip_prefix(source)?;
        builder.append_path_with_name(path, rel)?; //~ fs
    }
    let encoder = builder.into_inner()?; //~ fs
    encoder.finish()?; //~ fs
    Ok(dest.to_path_buf())
}

pub async fn write_zip(source: &Path, files: &[PathBuf], dest: &Path) -> anyhow::Result<PathBuf> {
    let file = File::create(dest)?; //~ fs
    let mut zip = ZipWriter::new(file); //~ ok(fs)
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for path in files {
        let rel = path.strip_prefix(source)?.to_string_lossy().into_owned();
        zip.start_file(rel, options)?; //~ fs
        let mut input = File::open(path)?; //~ fs
        std::io::copy(&mut input, &mut zip)?; //~ fs
    }
    let manifest = manifest_zip(files).await?;
    zip.start_file("MANIFEST.zip", options)?; //~ fs
    zip.write_all(&manifest)?; //~ fs
    zip.finish()?; //~ fs
    Ok(dest.to_path_buf())
}

async fn manifest_zip(files: &[PathBuf]) -> anyhow::Result<Vec<u8>> {
    let listing: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new())); //~ ok(fs)
    zip.start_file("files.txt", SimpleFileOptions::default())?; //~ ok(fs)
    zip.write_all(listing.as_bytes())?; //~ ok(fs)
    Ok(zip.finish()?.into_inner()) //~ ok(fs)
}

pub async fn verify_zip(path: &Path) -> anyhow::Result<usize> {
    let file = File::open(path)?; //~ fs
    let mut archive = ZipArchive::new(file)?; //~ fs
    let mut manifest = Vec::new();
    archive.by_name("MANIFEST.zip")?.read_to_end(&mut manifest)?; //~ fs, fs
    let inner = ZipArchive::new(Cursor::new(manifest))?; //~ ok(fs)
    anyhow::ensure!(inner.len() == 1, "manifest archive is malformed");
    Ok(archive.len())
}

pub async fn write_7z(source: &Path, dest: &Path) -> anyhow::Result<PathBuf> {
    sevenz_rust::compress_to_path(source, dest)?; //~ fs
    Ok(dest.to_path_buf())
}

pub async fn restore_7z(archive: &Path, into: &Path) -> anyhow::Result<()> {
    sevenz_rust::decompress_file(archive, into)?; //~ fs
    Ok(())
}

pub async fn write_tar_stream(source: &Path, dest: &Path) -> anyhow::Result<PathBuf> {
    let file = tokio::fs::File::create(dest).await?; //~ ok(fs)
    let mut builder = tokio_tar::Builder::new(file); //~ ok(fs)
    builder.append_dir_all(".", source).await?; //~ ok(fs)
    builder.finish().await?; //~ ok(fs)
    Ok(dest.to_path_buf())
}

pub async fn write_zip_stream(source: &Path, files: &[PathBuf], dest: &Path) -> anyhow::Result<PathBuf> {
    let file = tokio::fs::File::create(dest).await?;
    let mut writer = async_zip::tokio::write::ZipFileWriter::with_tokio(file); //~ ok(fs)
    for path in files {
        let data = tokio::fs::read(path).await?;
        let rel = path.strip_prefix(source)?.to_string_lossy().into_owned();
        let entry = ZipEntryBuilder::new(rel.into(), ZipCompression::Deflate);
        writer.write_entry_whole(entry, &data).await?; //~ ok(fs)
    }
    writer.close().await?; //~ ok(fs)
    Ok(dest.to_path_buf())
}

pub async fn restore_tar_gz(archive: PathBuf, into: PathBuf) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let file = File::open(&archive)?; //~ ok(fs)
        let mut tarball = tar::Archive::new(GzDecoder::new(file)); //~ ok(fs)
        tarball.unpack(&into)?; //~ ok(fs)
        Ok(())
    })
    .await?
}

pub async fn restore_plain_tar(archive: &Path, into: &Path) -> anyhow::Result<()> {
    let file = File::open(archive)?; //~ fs
    tar::Archive::new(file).unpack(into)?; //~ fs
    Ok(())
}
