use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

#[derive(Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<String, u64>>,
    gauges: Mutex<BTreeMap<String, f64>>,
}

impl Metrics {
    pub fn incr(&self, name: &str) {
        *self.counters.lock().unwrap().entry(name.to_owned()).or_default() += 1;
    }

    pub fn gauge(&self, name: &str, value: f64) {
        self.gauges.lock().unwrap().insert(name.to_owned(), value);
    }

    pub fn observe(&self, kind: &str, took: Duration) {
        let mut c = self.counters.lock().unwrap();
        *c.entry(format!("job_{kind}_total")).or_default() += 1;
        *c.entry(format!("job_{kind}_millis")).or_default() += took.as_millis() as u64;
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for (k, v) in self.counters.lock().unwrap().iter() {
            let _ = writeln!(out, "jobq_{k} {v}");
        }
        for (k, v) in self.gauges.lock().unwrap().iter() {
            let _ = writeln!(out, "jobq_{} {v}", k.replace('.', "_"));
        }
        out
    }
}

pub async fn serve(metrics: Arc<Metrics>, addr: String) -> std::io::Result<()> {
    let listener = TcpListener::bind(&addr).await?;
    loop {
        let (mut sock, _) = listener.accept().await?; //~ ok(net)
        let body = metrics.render(); //~ lock
        let resp = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{}",
            body.len(),
            body
        );
        let _ = sock.write_all(resp.as_bytes()).await; //~ ok(net)
    }
}
