use std::time::Duration;

use crate::Reading;

pub struct InfluxSink {
    agent: ureq::Agent,
    url: String,
    token: String,
}

impl InfluxSink {
    pub fn new(url: &str, org: &str, bucket: &str, token: &str) -> Self {
        Self {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(3))
                .build(),
            url: format!("{url}/api/v2/write?org={org}&bucket={bucket}&precision=ms"),
            token: token.to_owned(),
        }
    }

    fn line(r: &Reading) -> String {
        format!(
            "reading,device={},sensor={} value={},unit=\"{}\" {}",
            r.device, r.sensor, r.value, r.unit, r.ts_ms
        )
    }

    pub fn write(&self, batch: &[Reading]) -> Result<(), Box<ureq::Error>> {
        let body: Vec<String> = batch.iter().map(Self::line).collect();
        self.agent
            .post(&self.url)
            .set("authorization", &format!("Token {}", self.token))
            .send_string(&body.join("\n"))
            .map(|_| ())
            .map_err(Box::new)
    }

    pub fn health(&self) -> bool {
        let base = self.url.split("/api/").next().unwrap_or(&self.url);
        self.agent
            .get(&format!("{base}/health"))
            .call()
            .is_ok()
    }
}
