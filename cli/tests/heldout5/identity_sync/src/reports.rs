use mongodb::bson::{doc, DateTime, Document};
use mysql_async::prelude::Queryable;

pub async fn headcount_by_dept(url: &str) -> anyhow::Result<Vec<(String, u64)>> {
    let pool = mysql_async::Pool::new(url); //~ ok(db)
    let mut conn = pool.get_conn().await?; //~ ok(db)
    let rows: Vec<(String, u64)> = conn
        .query("SELECT dept, COUNT(*) FROM employees WHERE active = 1 GROUP BY dept") //~ ok(db)
        .await?;
    drop(conn);
    pool.disconnect().await?; //~ ok(db)
    Ok(rows)
}

pub async fn record_failure(uri: &str, message: &str) -> anyhow::Result<u64> {
    let client = mongodb::Client::with_uri_str(uri).await?; //~ ok(db)
    let events = client.database("identity").collection::<Document>("sync_events");
    events
        .insert_one(doc! { "kind": "failure", "message": message, "at": DateTime::now() }) //~ ok(db)
        .await?;
    let failures = events.count_documents(doc! { "kind": "failure" }).await?; //~ ok(db)
    Ok(failures)
}
