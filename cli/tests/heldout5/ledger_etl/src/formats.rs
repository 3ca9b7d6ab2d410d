use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

pub const DEFAULT_RATES: &str = r#"{"EUR": 1.0, "USD": 0.92, "GBP": 1.17, "CHF": 1.04}"#;

const REQUIRED: [&str; 4] = ["account", "posted_at", "amount_cents", "currency"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LedgerRow {
    pub account: String,
    pub posted_at: String,
    pub amount_cents: i64,
    pub currency: String,
    #[serde(default)]
    pub memo: Option<String>,
}

pub fn check_headers(headers: &csv::StringRecord) -> anyhow::Result<()> {
    for column in REQUIRED {
        anyhow::ensure!(
            headers.iter().any(|h| h.eq_ignore_ascii_case(column)),
            "missing column {column}"
        );
    }
    Ok(())
}

pub fn row_from_record(
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
) -> anyhow::Result<LedgerRow> {
    Ok(record.deserialize(Some(headers))?)
}

pub fn parse_rows<R: Read>(reader: R) -> anyhow::Result<Vec<LedgerRow>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let rows = rdr.deserialize().collect::<Result<Vec<LedgerRow>, _>>()?;
    Ok(rows)
}

pub fn write_jsonl<W: Write>(mut out: W, rows: &[LedgerRow]) -> anyhow::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut out, row)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

pub fn load_currency_table(path: &Path) -> anyhow::Result<HashMap<String, f64>> {
    let file = File::open(path)?;
    Ok(serde_json::from_reader(BufReader::new(file))?)
}

pub fn normalize(rows: Vec<LedgerRow>, rates: &HashMap<String, f64>) -> Vec<LedgerRow> {
    rows.into_iter()
        .filter(|r| !r.account.is_empty())
        .map(|mut r| {
            r.currency = r.currency.to_ascii_uppercase();
            if let Some(rate) = rates.get(&r.currency) {
                r.amount_cents = (r.amount_cents as f64 * rate).round() as i64;
                r.currency = "EUR".to_string();
            }
            r.memo = r.memo.map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
            r
        })
        .collect()
}
