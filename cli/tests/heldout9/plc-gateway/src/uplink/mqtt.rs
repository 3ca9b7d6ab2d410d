use std::time::Duration;

use paho_mqtt as mqtt;

/// Blocking publisher (one paho sync client per gateway).
pub struct Uplink {
    pub cli: mqtt::Client,
    pub commands: mqtt::Receiver<Option<mqtt::Message>>,
}

/// Async flavour used when `uplink_async` is enabled.
pub struct AsyncUplink {
    pub cli: mqtt::AsyncClient,
}

pub fn create_opts(uri: &str, id: &str) -> mqtt::CreateOptions {
    mqtt::CreateOptionsBuilder::new()
        .server_uri(uri)
        .client_id(id)
        .finalize()
}

pub fn connect_opts() -> mqtt::ConnectOptions {
    mqtt::ConnectOptionsBuilder::new()
        .keep_alive_interval(Duration::from_secs(20))
        .clean_session(true)
        .finalize()
}

impl Uplink {
    pub fn new(uri: &str, id: &str) -> anyhow::Result<Self> {
        let cli = mqtt::Client::new(create_opts(uri, id))?;
        let commands = cli.start_consuming();
        Ok(Self { cli, commands })
    }

    pub fn publish_json(&self, topic: &str, body: &serde_json::Value) -> anyhow::Result<()> {
        let msg = mqtt::Message::new(topic, body.to_string(), 1);
        self.cli.publish(msg)?;
        Ok(())
    }
}

impl AsyncUplink {
    pub fn new(uri: &str, id: &str) -> anyhow::Result<Self> {
        Ok(Self { cli: mqtt::AsyncClient::new(create_opts(uri, id))? })
    }

    pub async fn publish_json(&self, topic: &str, body: &serde_json::Value) -> anyhow::Result<()> {
        let msg = mqtt::Message::new(topic, body.to_string(), 1);
        self.cli.publish(msg).await?;
        Ok(())
    }
}
