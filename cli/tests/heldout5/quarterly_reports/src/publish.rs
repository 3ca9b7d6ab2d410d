use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::sheets::KpiRow;

pub fn write_extract<W: Write>(out: W, rows: &[KpiRow]) -> anyhow::Result<()> {
    let mut wtr = csv::Writer::from_writer(out);
    for row in rows {
        wtr.serialize(row)?;
    }
    wtr.flush()?;
    Ok(())
}

pub fn rotate_previous(outbox: &Path, quarter: &str) -> std::io::Result<()> {
    let current = outbox.join(format!("{quarter}.csv"));
    if current.exists() {
        std::fs::rename(&current, outbox.join(format!("{quarter}.prev.csv")))?;
    }
    Ok(())
}

pub async fn publish_csv(outbox: &Path, quarter: &str, rows: &[KpiRow]) -> anyhow::Result<()> {
    let mut wtr = csv::Writer::from_path(outbox.join(format!("{quarter}.csv")))?; //~ fs
    for row in rows {
        wtr.serialize(row)?; //~ fs
    }
    wtr.flush()?; //~ fs
    Ok(())
}

pub async fn publish_extract_file(path: &Path, rows: &[KpiRow]) -> anyhow::Result<()> {
    let file = File::create(path)?; //~ fs
    write_extract(BufWriter::new(file), rows)?; //~ fs
    Ok(())
}

pub async fn render_extract(rows: &[KpiRow]) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    write_extract(&mut body, rows)?; //~ ok(fs)

    let mut footer = csv::Writer::from_writer(Vec::new()); //~ ok(fs)
    footer.write_record(["rows", &rows.len().to_string()])?; //~ ok(fs)
    body.extend(footer.into_inner()?); //~ ok(fs)
    Ok(body)
}

pub async fn compare_with_previous(
    outbox: &Path,
    quarter: &str,
    rows: &[KpiRow],
) -> anyhow::Result<Vec<KpiRow>> {
    let previous = outbox.join(format!("{quarter}.prev.csv"));
    if !tokio::fs::try_exists(&previous).await? { //~ ok(fs)
        return Ok(Vec::new());
    }
    let mut rdr = csv::Reader::from_path(&previous)?; //~ fs
    let old: Vec<KpiRow> = rdr.deserialize().collect::<Result<_, _>>()?; //~ fs
    let deltas = rows
        .iter()
        .filter_map(|row| {
            let before = old.iter().find(|o| o.kpi == row.kpi && o.region == row.region)?;
            Some(KpiRow {
                kpi: row.kpi.clone(),
                region: row.region.clone(),
                value: row.value - before.value,
            })
        })
        .collect();
    Ok(deltas)
}
