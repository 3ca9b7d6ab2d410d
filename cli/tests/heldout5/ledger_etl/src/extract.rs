use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use flate2::read::GzDecoder;
use futures_util::StreamExt;

use crate::formats::{self, LedgerRow};

pub async fn read_plain(path: &Path) -> anyhow::Result<Vec<LedgerRow>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)?; //~ fs
    let headers = rdr.headers()?.clone(); //~ fs
    formats::check_headers(&headers)?;

    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while rdr.read_record(&mut record)? { //~ fs
        rows.push(formats::row_from_record(&headers, &record)?);
    }
    Ok(rows)
}

pub async fn read_gzip(path: &Path) -> anyhow::Result<Vec<LedgerRow>> {
    let file = File::open(path)?; //~ fs
    let decoder = GzDecoder::new(file); //~ fs
    let mut rdr = csv::Reader::from_reader(decoder); //~ ok(fs)
    let rows = rdr
        .deserialize::<LedgerRow>()
        .collect::<Result<Vec<_>, _>>()?; //~ fs
    Ok(rows)
}

pub async fn read_streaming(path: &Path) -> anyhow::Result<Vec<LedgerRow>> {
    let file = tokio::fs::File::open(path).await?; //~ ok(fs)
    let mut rdr = csv_async::AsyncReaderBuilder::new()
        .has_headers(true)
        .create_deserializer(file); //~ ok(fs)
    let mut records = rdr.deserialize::<LedgerRow>();
    let mut rows = Vec::new();
    while let Some(row) = records.next().await { //~ ok(fs)
        rows.push(row?);
    }
    Ok(rows)
}

pub async fn read_with_helper(path: &Path) -> anyhow::Result<Vec<LedgerRow>> {
    let file = File::open(path)?; //~ fs
    let rows = formats::parse_rows(BufReader::new(file))?; //~ fs
    Ok(rows)
}

pub async fn read_inline(csv_text: &str) -> anyhow::Result<Vec<LedgerRow>> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes()); //~ ok(fs)
    let rows = rdr.deserialize().collect::<Result<Vec<LedgerRow>, _>>()?; //~ ok(fs)
    Ok(rows)
}

pub async fn read_uploaded(body: bytes::Bytes) -> anyhow::Result<Vec<LedgerRow>> {
    if body.starts_with(&[0x1f, 0x8b]) {
        let decoder = GzDecoder::new(&body[..]); //~ ok(fs)
        return formats::parse_rows(decoder); //~ ok(fs)
    }
    formats::parse_rows(std::io::Cursor::new(body)) //~ ok(fs)
}
