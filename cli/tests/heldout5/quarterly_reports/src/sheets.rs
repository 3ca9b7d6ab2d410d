use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, open_workbook_auto, open_workbook_from_rs, Data, Range, Reader, Xlsx};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct KpiRow {
    pub kpi: String,
    pub region: String,
    pub value: f64,
}

fn rows_from_range(range: &Range<Data>) -> Vec<KpiRow> {
    range
        .rows()
        .skip(1)
        .filter_map(|row| {
            let kpi = row.first()?.to_string();
            let region = row.get(1)?.to_string();
            let value = match row.get(2)? {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                Data::String(s) => s.replace(',', "").parse().ok()?,
                _ => return None,
            };
            Some(KpiRow { kpi, region, value })
        })
        .collect()
}

pub fn sheet_names(path: &Path) -> anyhow::Result<Vec<String>> {
    let workbook = open_workbook_auto(path)?;
    Ok(workbook.sheet_names())
}

pub async fn load_ledger(path: &Path, sheet: &str) -> anyhow::Result<Vec<KpiRow>> {
    let mut workbook: Xlsx<_> = open_workbook(path)?; //~ fs
    let range = workbook.worksheet_range(sheet)?; //~ fs
    let formulas = workbook.worksheet_formula(sheet)?; //~ fs
    if formulas.used_cells().any(|(_, _, f)| f.contains("#REF!")) {
        anyhow::bail!("sheet {sheet} contains broken references");
    }
    Ok(rows_from_range(&range))
}

pub async fn load_any(path: &Path) -> anyhow::Result<Vec<KpiRow>> {
    let mut workbook = open_workbook_auto(path)?; //~ fs
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("workbook has no sheets"))?;
    let range = workbook.worksheet_range(&first)?; //~ fs
    Ok(rows_from_range(&range))
}

pub async fn load_uploaded(bytes: Vec<u8>, sheet: &str) -> anyhow::Result<Vec<KpiRow>> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))?; //~ ok(fs)
    let range = workbook.worksheet_range(sheet)?; //~ ok(fs)
    Ok(rows_from_range(&range))
}

fn load_sync(path: &Path, sheet: &str) -> anyhow::Result<Vec<KpiRow>> {
    let mut workbook: Xlsx<_> = open_workbook(path)?;
    Ok(rows_from_range(&workbook.worksheet_range(sheet)?))
}

pub async fn load_many(paths: Vec<PathBuf>, sheet: String) -> anyhow::Result<Vec<KpiRow>> {
    let nested = tokio::task::spawn_blocking(move || {
        paths
            .iter()
            .map(|p| load_sync(p, &sheet)) //~ ok(fs)
            .collect::<anyhow::Result<Vec<_>>>()
    })
    .await??;
    Ok(nested.into_iter().flatten().collect())
}
