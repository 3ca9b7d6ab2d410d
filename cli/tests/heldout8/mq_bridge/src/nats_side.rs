use std::io;

pub struct NatsLink {
    conn: nats::Connection,
}

impl NatsLink {
    pub fn connect(url: &str) -> io::Result<Self> {
        let conn = nats::Options::new()
            .with_name("mq-bridge")
            .max_reconnects(5)
            .connect(url)?;
        Ok(Self { conn })
    }

    pub fn subscribe(&self, subject: &str) -> io::Result<nats::Subscription> {
        self.conn.subscribe(subject)
    }

    pub fn ask(&self, subject: &str, body: &[u8]) -> io::Result<Vec<u8>> {
        Ok(self.conn.request(subject, body)?.data)
    }

    pub fn flush(&self) -> io::Result<()> {
        self.conn.flush()
    }

    pub fn raw(&self) -> &nats::Connection {
        &self.conn
    }
}
