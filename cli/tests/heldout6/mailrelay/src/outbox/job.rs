use lettre::message::Mailbox;
use lettre::Message;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MailJob {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: u32,
}

impl MailJob {
    pub fn parse_line(line: &str) -> Option<MailJob> {
        let mut parts = line.splitn(4, '\t');
        let id = parts.next()?.to_string();
        let to = parts.next()?.to_string();
        let subject = parts.next()?.to_string();
        let body = parts.next().unwrap_or_default().replace("\\n", "\n");
        Some(MailJob { id, to, subject, body, attempts: 0 })
    }

    /// Builds the RFC 5322 message; no I/O.
    pub fn to_message(&self, from: &str) -> anyhow::Result<Message> {
        let from: Mailbox = from.parse()?;
        let to: Mailbox = self.to.parse()?;
        let msg = Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .body(self.body.clone())?;
        Ok(msg)
    }
}
