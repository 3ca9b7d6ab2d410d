//! Reading notices out of the Maildir.

use std::collections::BTreeMap;
use std::path::Path;

use mailparse::{MailHeaderMap, ParsedMail};
use maildir::Maildir;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    pub id: String,
    pub from: String,
    pub subject: String,
    pub date: i64,
    pub excerpt: String,
}

/// Builds a notice from an already parsed message (no I/O).
pub fn notice_from(id: &str, mail: &ParsedMail) -> Notice {
    let h = &mail.headers;
    let body = mail.subparts.first().unwrap_or(mail).get_body().unwrap_or_default();
    Notice {
        id: id.to_string(),
        from: h.get_first_value("From").unwrap_or_default(),
        subject: h.get_first_value("Subject").unwrap_or_else(|| "(no subject)".into()),
        date: h.get_first_value("Date").and_then(|d| mailparse::dateparse(&d).ok()).unwrap_or(0),
        excerpt: body.lines().filter(|l| !l.trim().is_empty()).take(3).collect::<Vec<_>>().join(" / "),
    }
}

pub struct Inbox {
    pub md: Maildir,
}

impl Inbox {
    pub fn open(path: &Path) -> Self {
        Inbox { md: Maildir::from(path.to_path_buf()) }
    }

    /// Reads and parses everything in `new/`.
    pub fn collect_new(&self) -> Vec<Notice> {
        let mut out = Vec::new();
        for entry in self.md.list_new().flatten() {
            let mut entry = entry;
            let id = entry.id().to_string();
            if let Ok(parsed) = entry.parsed() {
                out.push(notice_from(&id, &parsed));
            }
        }
        out
    }
}

/// Groups notices by (sender, normalised subject) for the template.
pub fn group(notices: Vec<Notice>) -> BTreeMap<String, Vec<Notice>> {
    let mut groups: BTreeMap<String, Vec<Notice>> = BTreeMap::new();
    for n in notices {
        let subject: String = n.subject.chars().filter(|c| !c.is_ascii_digit()).collect();
        groups.entry(format!("{} — {}", n.from, subject.trim())).or_default().push(n);
    }
    groups
}
