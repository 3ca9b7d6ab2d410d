use amiquip::{AmqpProperties, Channel, Connection, ConsumerMessage, ConsumerOptions, Exchange, Publish, QueueDeclareOptions};

use crate::Envelope;

pub struct RabbitSink {
    conn: Option<Connection>,
    channel: Channel,
}

impl RabbitSink {
    pub fn open(url: &str) -> amiquip::Result<Self> {
        let mut conn = Connection::insecure_open(url)?;
        let channel = conn.open_channel(None)?;
        channel.queue_declare("orders", QueueDeclareOptions { durable: true, ..Default::default() })?;
        Ok(Self { conn: Some(conn), channel })
    }

    pub fn publish_json(&mut self, routing_key: &str, env: &Envelope) -> amiquip::Result<()> {
        let body = serde_json::to_vec(env).unwrap_or_default();
        let exchange = Exchange::direct(&self.channel);
        exchange.publish(Publish::with_properties(&body, routing_key, AmqpProperties::default()))
    }

    /// Reads queued acknowledgements from the reply queue.
    pub fn drain_acks(&mut self) -> amiquip::Result<usize> {
        let queue = self.channel.queue_declare("bridge.acks", QueueDeclareOptions::default())?;
        let consumer = queue.consume(ConsumerOptions::default())?;
        let mut n = 0;
        while let Ok(ConsumerMessage::Delivery(d)) = consumer.receiver().try_recv() {
            consumer.ack(d)?;
            n += 1;
        }
        Ok(n)
    }

    pub fn shutdown(&mut self) -> amiquip::Result<()> {
        match self.conn.take() {
            Some(c) => c.close(),
            None => Ok(()),
        }
    }
}

/// Copies whatever sits in `queue_name` into a local count; used by the `/mirror` admin command.
pub async fn mirror_queue(sink: &mut RabbitSink, queue_name: &str) -> amiquip::Result<usize> {
    use std::time::Duration;
    let queue = sink.channel.queue_declare(queue_name, QueueDeclareOptions::default())?; //~ net
    let consumer = queue.consume(ConsumerOptions { no_ack: true, ..Default::default() })?; //~ net
    let mut n = 0;
    while let Ok(ConsumerMessage::Delivery(_d)) = consumer.receiver().recv_timeout(Duration::from_millis(200)) { //~ channel
        n += 1;
    }
    if let Ok(ConsumerMessage::Delivery(_d)) = consumer.receiver().try_recv() { //~ ok(channel)
        n += 1;
    }
    let last = consumer.receiver().recv(); //~ channel
    tracing::debug!(last_ok = last.is_ok());
    let polled = sink.channel.basic_get(queue_name, true)?; //~ net
    let (tx, rx) = std::sync::mpsc::sync_channel::<usize>(1);
    let h = std::thread::spawn(move || {
        let _ = tx.send(n);
    });
    let echoed = rx.recv().unwrap_or(0); //~ channel
    h.join().ok(); //~ thread_join
    std::thread::sleep(Duration::from_millis(50)); //~ sleep
    tokio::time::sleep(Duration::from_millis(50)).await; //~ ok(sleep)
    Ok(echoed + polled.map(|_| 1).unwrap_or(0))
}
