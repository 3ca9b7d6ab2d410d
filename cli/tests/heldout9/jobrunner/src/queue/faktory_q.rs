use std::io;
use std::sync::{Arc, Mutex};

use faktory::{ConsumerBuilder, Job, Producer};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobSpec {
    pub kind: String,
    pub repo: String,
    pub command: String,
}

impl JobSpec {
    pub fn to_job(&self, queue: &str) -> Job {
        Job::new(self.kind.clone(), vec![serde_json::to_value(self).unwrap()]).on_queue(queue)
    }
}

/// Producer side of the Faktory queue plus a local inbox filled by the consumer.
pub struct FaktoryQueue {
    pub producer: Producer<std::net::TcpStream>,
    pub inbox: Arc<Mutex<Vec<JobSpec>>>,
    url: String,
}

impl FaktoryQueue {
    pub fn connect(url: &str) -> Result<Self, faktory::Error> {
        let producer = Producer::connect(Some(url))?;
        Ok(Self { producer, inbox: Arc::default(), url: url.to_string() })
    }

    pub fn push(&mut self, spec: &JobSpec, queue: &str) -> Result<(), faktory::Error> {
        self.producer.enqueue(spec.to_job(queue))
    }

    /// Fetches and handles at most one job; returns whether one was handled.
    pub fn pull_one(&self, queues: &[String]) -> Result<bool, faktory::Error> {
        let inbox = self.inbox.clone();
        let mut c = ConsumerBuilder::default();
        c.register("build", move |job: Job| -> io::Result<()> {
            let spec: JobSpec = serde_json::from_value(job.args()[0].clone())?;
            inbox.lock().unwrap().push(spec);
            Ok(())
        });
        let mut consumer = c.connect(Some(&self.url))?;
        consumer.run_one(0, queues)
    }

    pub fn take_inbox(&self) -> Vec<JobSpec> {
        std::mem::take(&mut *self.inbox.lock().unwrap())
    }
}
