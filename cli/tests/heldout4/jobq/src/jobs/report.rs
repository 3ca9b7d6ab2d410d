use std::collections::HashMap;
use std::io::Write;
use std::sync::mpsc;

use rayon::prelude::*;

use super::*;

#[derive(Debug, Deserialize)]
struct ReportPayload {
    database: PathBuf,
    month: String,
    notify: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub customer: String,
    pub amount_cents: i64,
}

fn load_rows(db: &std::path::Path, month: &str) -> rusqlite::Result<Vec<Row>> {
    let conn = rusqlite::Connection::open(db)?;
    let mut stmt = conn.prepare(
        "SELECT customer, amount_cents FROM invoices WHERE strftime('%Y-%m', issued_at) = ?1",
    )?;
    let rows = stmt.query_map([month], |r| {
        Ok(Row {
            customer: r.get(0)?,
            amount_cents: r.get(1)?,
        })
    })?;
    rows.collect()
}

pub fn summarize(rows: &[Row]) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for r in rows {
        *out.entry(r.customer.clone()).or_insert(0) += r.amount_cents;
    }
    out
}

pub(super) async fn build_report(ctx: &Ctx, env: JobEnvelope) -> anyhow::Result<()> {
    let p: ReportPayload = payload(&env)?;
    let (db, month) = (p.database.clone(), p.month.clone());
    let rows = tokio::task::spawn_blocking(move || load_rows(&db, &month)).await??; //~ ok(db)

    let (tx, rx) = mpsc::channel();
    let chunk = rows.clone();
    rayon::spawn(move || {
        let total: i64 = chunk.par_iter().map(|r| r.amount_cents).sum();
        let _ = tx.send(total);
    });
    let per_customer = summarize(&rows);
    if let Ok(early) = rx.try_recv() { //~ ok(channel)
        tracing::debug!(early, "total ready early");
    }
    let total = rx.recv()?; //~ channel

    let path = ctx.scratch.join(format!("report-{}.csv", p.month));
    let mut file = std::fs::File::create(&path)?; //~ fs
    let mut body = String::from("customer,amount_cents\n");
    for (customer, cents) in &per_customer {
        body.push_str(&format!("{customer},{cents}\n"));
    }
    body.push_str(&format!("TOTAL,{total}\n"));
    file.write_all(body.as_bytes())?; //~ fs
    ctx.metrics.gauge("report_total_cents", total as f64); //~ lock

    if let Some(to) = p.notify {
        let mail = JobEnvelope::new(
            JobKind::Email,
            serde_json::json!({
                "to": to,
                "template": "report_ready",
                "subject": format!("Report {}", p.month),
                "vars": { "path": path.display().to_string() },
            }),
        );
        ctx.queue.push(&mail)?; //~ miss(db), fp(lock)
    }
    Ok(())
}
