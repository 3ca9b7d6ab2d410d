use std::collections::HashMap;

use zbus::zvariant::Value;

const DEST: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// Desktop notifications via the session bus (blocking API, used from the old tray code).
pub struct Notifier {
    pub conn: zbus::blocking::Connection,
}

/// Same thing on the async connection.
pub struct AsyncNotifier {
    pub conn: zbus::Connection,
}

type NotifyArgs<'a> = (&'a str, u32, &'a str, &'a str, &'a str, Vec<&'a str>, HashMap<&'a str, Value<'a>>, i32);

fn args<'a>(summary: &'a str, body: &'a str) -> NotifyArgs<'a> {
    ("desk-agent", 0, "dialog-information", summary, body, vec![], HashMap::new(), 5000)
}

impl Notifier {
    pub fn connect() -> zbus::Result<Self> {
        Ok(Self { conn: zbus::blocking::Connection::session()? })
    }

    pub fn notify(&self, summary: &str, body: &str) -> zbus::Result<u32> {
        let reply = self.conn.call_method(Some(DEST), PATH, Some(DEST), "Notify", &args(summary, body))?;
        reply.body().deserialize()
    }
}

impl AsyncNotifier {
    pub async fn connect() -> zbus::Result<Self> {
        Ok(Self { conn: zbus::Connection::session().await? })
    }

    pub async fn notify(&self, summary: &str, body: &str) -> zbus::Result<u32> {
        let reply = self.conn.call_method(Some(DEST), PATH, Some(DEST), "Notify", &args(summary, body)).await?;
        reply.body().deserialize()
    }
}
