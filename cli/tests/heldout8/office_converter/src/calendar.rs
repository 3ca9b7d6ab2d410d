use std::fs::File;
use std::io::BufReader;
use std::path::Path;

pub fn summarize(path: &Path) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let parser = ical::IcalParser::new(BufReader::new(File::open(path)?));
    let mut events = 0usize;
    let mut first: Option<String> = None;
    for cal in parser {
        let cal = cal?;
        events += cal.events.len();
        if first.is_none() {
            first = cal
                .events
                .first()
                .and_then(|e| e.properties.iter().find(|p| p.name == "SUMMARY"))
                .and_then(|p| p.value.clone());
        }
    }
    Ok(format!("{events} events, first: {}", first.unwrap_or_default()))
}

pub async fn import_feed(body: &str, spool: &Path) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let parser = ical::IcalParser::new(BufReader::new(body.as_bytes())); //~ ok(fs)
    let n = parser.filter_map(|c| c.ok()).map(|c| c.events.len()).sum::<usize>(); //~ ok(fs)
    tokio::fs::write(spool, body).await?; //~ ok(fs)
    let reread = summarize(spool)?; //~ fs
    let mut on_disk = ical::IcalParser::new(BufReader::new(File::open(spool)?)); //~ fs
    let first = on_disk.next(); //~ fs
    tracing::debug!(%reread, has_first = first.is_some());
    Ok(n)
}
