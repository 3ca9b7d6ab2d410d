//! Nightly ETL: pulls CSV exports from a drop directory, validates and
//! normalises rows, loads them into Postgres and writes a Parquet copy for
//! the warehouse.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flume::{Receiver, Sender};
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;

pub struct Row {
    pub id: i64,
    pub region: String,
    pub amount_cents: i64,
}

pub struct Job {
    drop_dir: PathBuf,
    pg: postgres::Client,
    pg_async: tokio_postgres::Client,
    batches: Sender<Vec<Row>>,
    done: Receiver<usize>,
}

fn parse_record(rec: &csv::StringRecord) -> Option<Row> {
    Some(Row {
        id: rec.get(0)?.parse().ok()?,
        region: rec.get(1)?.trim().to_uppercase(),
        amount_cents: (rec.get(2)?.parse::<f64>().ok()? * 100.0).round() as i64,
    })
}

impl Job {
    pub async fn extract(&self, name: &str) -> anyhow::Result<Vec<Row>> {
        let path = self.drop_dir.join(name);
        let mut rdr = csv::Reader::from_path(&path)?; //~ miss(fs)
        let headers = rdr.headers()?.clone(); //~ miss(fs)
        tracing::info!(?headers, file = %path.display(), "extracting");
        let mut rec = csv::StringRecord::new();
        let mut rows = Vec::new();
        while rdr.read_record(&mut rec)? { //~ miss(fs)
            if let Some(row) = parse_record(&rec) {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    pub async fn extract_in_memory(&self, bytes: &[u8]) -> anyhow::Result<usize> {
        let mut rdr = csv::Reader::from_reader(bytes); //~ ok(fs)
        let mut rec = csv::StringRecord::new();
        let mut n = 0;
        while rdr.read_record(&mut rec)? { //~ ok(fs)
            n += 1;
        }
        Ok(n)
    }

    pub async fn pending_files(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(&self.drop_dir)? //~ fs
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        out.retain(|p| !p.with_extension("done").exists()); //~ miss(fs)
        out.sort();
        Ok(out)
    }

    pub async fn validate_parallel(&self, files: Vec<PathBuf>) -> usize {
        tokio::task::block_in_place(|| {
            files
                .par_iter()
                .map(|p| std::fs::read_to_string(p).map(|s| s.lines().count()).unwrap_or(0)) //~ ok(fs)
                .sum()
        })
    }

    pub async fn load(&mut self, rows: &[Row]) -> anyhow::Result<u64> {
        let mut tx = self.pg.transaction()?; //~ miss(db)
        let stmt = tx.prepare("INSERT INTO sales (id, region, amount_cents) VALUES ($1, $2, $3)")?; //~ miss(db)
        let mut n = 0;
        for r in rows {
            n += tx.execute(&stmt, &[&r.id, &r.region, &r.amount_cents])?; //~ miss(db)
        }
        tx.commit()?; //~ miss(db)
        Ok(n)
    }

    pub async fn row_count(&self) -> anyhow::Result<i64> {
        let row = self.pg_async.query_one("SELECT count(*) FROM sales", &[]).await?; //~ ok(db)
        let rows = self.pg_async.query("SELECT 1", &[]).await?; //~ ok(db)
        Ok(row.get::<_, i64>(0) + rows.len() as i64 - 1)
    }

    pub async fn regions(&mut self) -> anyhow::Result<Vec<String>> {
        let rows = self.pg.query("SELECT DISTINCT region FROM sales", &[])?; //~ db
        Ok(rows.iter().map(|r| r.get(0)).collect()) //~ ok(db)
    }

    pub async fn hand_off(&self, rows: Vec<Row>) -> anyhow::Result<usize> {
        if rows.len() > 10_000 {
            self.batches.send_async(rows).await?; //~ ok(channel)
        } else {
            self.batches.send(rows)?; //~ channel
        }
        let written = self.done.recv()?; //~ channel
        let more = self.done.recv_async().await.unwrap_or(0); //~ ok(channel)
        Ok(written + more)
    }
}

pub fn parquet_writer_thread(rx: Receiver<Vec<Row>>, out: &Path, schema: Arc<parquet::schema::types::Type>) {
    let out = out.to_owned();
    std::thread::spawn(move || {
        let file = File::create(&out).unwrap(); //~ ok(fs)
        let mut writer = SerializedFileWriter::new(file, schema, Default::default()).unwrap();
        for batch in rx.iter() { //~ ok(channel)
            tracing::debug!(rows = batch.len(), "row group");
        }
        writer.close().unwrap(); //~ ok(fs)
    });
}

pub async fn mark_done(path: &Path) -> anyhow::Result<()> {
    std::fs::File::create(path.with_extension("done"))?; //~ fs
    tokio::fs::rename(path, path.with_extension("csv.loaded")).await?; //~ ok(fs)
    Ok(())
}

pub async fn run(mut job: Job) -> anyhow::Result<()> {
    for file in job.pending_files().await? {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let rows = job.extract(&name).await?;
        let loaded = job.load(&rows).await?;
        assert!(loaded as usize == rows.len(), "partial load of {name}");
        mark_done(&file).await?;
    }
    Ok(())
}
