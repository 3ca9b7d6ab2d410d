//! Job sources and sinks: Faktory (work queue) and Kafka (build events).

pub mod faktory_q;
pub mod kafka;

pub use faktory_q::{FaktoryQueue, JobSpec};
pub use kafka::{EventBus, EventConsumer};
