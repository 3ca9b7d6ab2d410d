use std::path::PathBuf;

/// Target list, one `kind value` per line:
///
/// ```text
/// dns  example.org
/// http http://127.0.0.1:8080/health
/// tcp  127.0.0.1:5432
/// hook http://127.0.0.1:9000/netwatch
/// ```
#[derive(Clone, Debug, Default)]
pub struct Targets {
    pub dns: Vec<String>,
    pub http: Vec<String>,
    pub tcp: Vec<String>,
    pub hook: Option<String>,
    pub state_file: PathBuf,
}

impl Targets {
    pub fn load(path: &str) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut t = Targets { state_file: "netwatch.state".into(), ..Default::default() };
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind, value) = line
                .split_once(char::is_whitespace)
                .ok_or_else(|| anyhow::anyhow!("line {}: expected `kind value`", n + 1))?;
            let value = value.trim().to_string();
            match kind {
                "dns" => t.dns.push(value),
                "http" => t.http.push(value),
                "tcp" => t.tcp.push(value),
                "hook" => t.hook = Some(value),
                "state" => t.state_file = value.into(),
                other => anyhow::bail!("line {}: unknown kind {other}", n + 1),
            }
        }
        Ok(t)
    }
}
