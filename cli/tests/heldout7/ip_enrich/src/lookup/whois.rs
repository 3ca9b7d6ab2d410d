use std::time::Duration;

use whois_rust::{WhoIs, WhoIsError, WhoIsLookupOptions};

use super::*;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WhoisSummary {
    pub org: Option<String>,
    pub netname: Option<String>,
    pub country: Option<String>,
    pub abuse: Option<String>,
}

pub fn options(target: &str) -> Result<WhoIsLookupOptions, WhoIsError> {
    let mut opts = WhoIsLookupOptions::from_string(target)?;
    opts.timeout = Some(Duration::from_secs(10));
    opts.follow = 1;
    Ok(opts)
}

/// Blocking WHOIS query (used by the batch importer and the legacy path).
pub fn whois_blocking(who: &WhoIs, target: &str) -> Result<WhoisSummary, WhoIsError> {
    Ok(parse_whois(&who.lookup(options(target)?)?))
}

pub fn parse_whois(text: &str) -> WhoisSummary {
    let mut s = WhoisSummary::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else { continue };
        let v = Some(v.trim().to_string());
        match k.trim().to_ascii_lowercase().as_str() {
            "orgname" | "org-name" | "organization" => s.org = s.org.or(v),
            "netname" => s.netname = s.netname.or(v),
            "country" => s.country = s.country.or(v),
            "orgabuseemail" | "abuse-mailbox" => s.abuse = s.abuse.or(v),
            _ => {}
        }
    }
    s
}
