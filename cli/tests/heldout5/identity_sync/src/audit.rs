use mongodb::bson::{doc, DateTime, Document};
use mongodb::sync::{Client, Collection};

pub struct AuditSink {
    events: Collection<Document>,
}

impl AuditSink {
    pub async fn connect(uri: &str) -> anyhow::Result<Self> {
        let client = Client::with_uri_str(uri)?; //~ db
        let events = client.database("identity").collection::<Document>("sync_events"); //~ ok(db)
        Ok(Self { events })
    }

    pub async fn record_run(&self, added: usize, removed: usize, generation: u64) -> anyhow::Result<()> {
        let event = doc! {
            "kind": "run",
            "added": added as i64,
            "removed": removed as i64,
            "generation": generation as i64,
            "at": DateTime::now(),
        };
        self.events.insert_one(event).run()?; //~ db
        Ok(())
    }

    pub async fn last_run(&self) -> anyhow::Result<Option<Document>> {
        let found = self.events.find_one(doc! { "kind": "run" }).sort(doc! { "at": -1 }).run()?; //~ db
        Ok(found)
    }

    pub async fn purge_older_than_days(&self, days: i64) -> anyhow::Result<u64> {
        let cutoff = DateTime::from_millis(DateTime::now().timestamp_millis() - days * 86_400_000);
        let result = self.events.delete_many(doc! { "at": { "$lt": cutoff } }).run()?; //~ db
        Ok(result.deleted_count)
    }
}
