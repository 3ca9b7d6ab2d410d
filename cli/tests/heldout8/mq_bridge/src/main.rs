//! Bridges NATS subjects, RabbitMQ queues, ZeroMQ feeds and Kafka topics.
mod amqp_side;
mod fanout;
mod kafka_side;
pub use kafka_side::replay;
mod nats_side;
mod zmq_side;

use std::sync::Arc;
use std::time::Duration;

pub use fanout::{Envelope, RouteTable};

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let routes = Arc::new(RouteTable::default());

    let nats = nats_side::NatsLink::connect("nats://127.0.0.1:4222")?; //~ net
    let mut rabbit = amqp_side::RabbitSink::open("amqp://guest:guest@localhost:5672")?; //~ net
    let mut kafka = kafka_side::KafkaSink::new(vec!["localhost:9092".into()])?; //~ net
    let feed = zmq_side::ZmqFeed::subscribe("tcp://127.0.0.1:5556", b"tick")?; //~ ok(net)

    routes.add("orders.*", "orders"); //~ lock
    let snapshot = routes.try_snapshot(); //~ ok(lock)
    tracing::info!(?snapshot, "routes loaded");

    let (tx, mut rx) = tokio::sync::mpsc::channel::<Envelope>(256);
    let sub = nats.subscribe("orders.*")?; //~ net
    tokio::spawn(async move {
        loop {
            if let Some(msg) = sub.try_next() { //~ ok(channel)
                let _ = tx.send(Envelope::from_nats(&msg)).await; //~ ok(channel)
                continue;
            }
            match sub.next_timeout(Duration::from_millis(50)) { //~ channel
                Ok(msg) => {
                    let _ = tx.send(Envelope::from_nats(&msg)).await; //~ ok(channel)
                }
                Err(_) => tokio::task::yield_now().await,
            }
        }
    });

    let zmq_task = tokio::task::spawn_blocking(move || {
        while let Ok(frame) = feed.next_frame() { //~ ok(net)
            tracing::trace!(len = frame.len(), "zmq frame");
        }
    });

    while let Some(env) = rx.recv().await { //~ ok(channel)
        let target = routes.lookup(&env.subject); //~ ok(lock)
        match target.as_deref() {
            Some("orders") => {
                rabbit.publish_json("orders", &env)?;
                kafka.send(&env)?; //~ net
            }
            Some(other) => {
                let reply = nats.ask(other, &env.payload)?; //~ net
                tracing::debug!(len = reply.len(), "nats reply");
            }
            None => fanout::broadcast(&env, 4), //~ thread_join
        }
        if env.subject.ends_with(".flush") {
            nats.flush()?; //~ net
            let n = rabbit.drain_acks()?; //~ net
            tracing::info!(n, "acks drained");
        }
    }

    rabbit.shutdown()?; //~ net
    zmq_task.await?; //~ ok(thread_join)
    Ok(())
}
