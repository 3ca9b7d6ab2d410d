use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, FutureProducer, FutureRecord, Producer};

pub fn base_config(brokers: &str) -> ClientConfig {
    let mut c = ClientConfig::new();
    c.set("bootstrap.servers", brokers).set("message.timeout.ms", "10000");
    c
}

/// Publishes job lifecycle events.
pub struct EventBus {
    pub sync: BaseProducer,
    pub fut: FutureProducer,
    pub topic: String,
}

/// Listens for "rebuild" requests coming from the CI frontend.
pub struct EventConsumer {
    pub base: BaseConsumer,
    pub stream: StreamConsumer,
}

impl EventBus {
    pub fn new(brokers: &str, topic: &str) -> anyhow::Result<Self> {
        let cfg = base_config(brokers);
        Ok(Self { sync: cfg.create()?, fut: cfg.create()?, topic: topic.into() })
    }

    pub fn emit(&self, key: &str, payload: &str) -> anyhow::Result<()> {
        self.sync
            .send(BaseRecord::to(&self.topic).key(key).payload(payload))
            .map_err(|(e, _)| e)?;
        self.sync.poll(Duration::from_millis(100));
        Ok(())
    }

    pub fn flush(&self) -> anyhow::Result<()> {
        self.sync.flush(Duration::from_secs(10))?;
        Ok(())
    }

    pub async fn emit_async(&self, key: &str, payload: &str) -> anyhow::Result<()> {
        self.fut
            .send(FutureRecord::to(&self.topic).key(key).payload(payload), Duration::from_secs(5))
            .await
            .map_err(|(e, _)| e)?;
        Ok(())
    }
}

impl EventConsumer {
    pub fn new(brokers: &str, group: &str, topic: &str) -> anyhow::Result<Self> {
        let mut cfg = base_config(brokers);
        cfg.set("group.id", group).set("enable.auto.commit", "false");
        let base: BaseConsumer = cfg.create()?;
        let stream: StreamConsumer = cfg.create()?;
        base.subscribe(&[topic])?;
        stream.subscribe(&[topic])?;
        Ok(Self { base, stream })
    }

    /// Blocks up to `wait` for the next rebuild request.
    pub fn next_request(&self, wait: Duration) -> Option<String> {
        let msg = self.base.poll(wait)?.ok()?;
        let out = msg.payload_view::<str>().and_then(|r| r.ok()).map(String::from);
        self.base.commit_message(&msg, CommitMode::Sync).ok()?;
        out
    }
}
