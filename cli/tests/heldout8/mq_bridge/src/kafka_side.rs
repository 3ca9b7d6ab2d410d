use std::time::Duration;

use kafka::consumer::{Consumer, FetchOffset};
use kafka::producer::{Producer, Record, RequiredAcks};

use crate::fanout::Envelope;

pub struct KafkaSink {
    producer: Producer,
    hosts: Vec<String>,
}

impl KafkaSink {
    pub fn new(hosts: Vec<String>) -> kafka::Result<Self> {
        let producer = Producer::from_hosts(hosts.clone())
            .with_ack_timeout(Duration::from_secs(1))
            .with_required_acks(RequiredAcks::One)
            .create()?;
        Ok(Self { producer, hosts })
    }

    pub fn send(&mut self, env: &Envelope) -> kafka::Result<()> {
        self.producer.send(&Record::from_value(&env.subject.replace('.', "-"), env.payload.as_slice()))
    }

    pub fn consumer(&self, topic: &str) -> kafka::Result<Consumer> {
        Consumer::from_hosts(self.hosts.clone())
            .with_topic(topic.to_owned())
            .with_fallback_offset(FetchOffset::Earliest)
            .with_group("mq-bridge".to_owned())
            .create()
    }
}

/// Replays a Kafka topic back into NATS.
pub async fn replay(sink: &KafkaSink, nats: &nats::Connection, topic: &str) -> kafka::Result<usize> {
    let mut consumer = sink.consumer(topic)?; //~ net
    let mut total = 0;
    loop {
        let sets = consumer.poll()?; //~ net
        if sets.is_empty() {
            break;
        }
        for ms in sets.iter() {
            for m in ms.messages() {
                nats.publish(topic, m.value).ok(); //~ net
                total += 1;
            }
            consumer.consume_messageset(ms).ok(); //~ ok(net)
        }
        consumer.commit_consumed()?; //~ net
        tokio::time::sleep(Duration::from_millis(100)).await; //~ ok(sleep)
    }
    let feed = crate::zmq_side::ZmqFeed::subscribe("tcp://127.0.0.1:5557", b"")?; //~ ok(net)
    if let Ok(Some(frame)) = feed.poll_frame() { //~ ok(net)
        tracing::debug!(len = frame.len(), "late frame");
    }
    let frame = feed.next_frame(); //~ net
    let mut items = [feed.socket().as_poll_item(zmq::POLLIN)];
    zmq::poll(&mut items, 500).ok(); //~ net
    feed.socket().send(frame.unwrap_or_default(), 0).ok(); //~ net
    Ok(total)
}
