//! The `tracing` feature: under the warn policy, a report is a `tracing` event
//! once a subscriber is installed. `cargo test -p pollguard-runtime --features tracing`

#![cfg(all(
    feature = "tracing",
    any(debug_assertions, feature = "release-watchdog")
))]

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use pollguard_runtime::{Policy, WatchExt};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Target and fields of every event, as `name=value` pairs.
static EVENTS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// The least subscriber that records events: tracing-subscriber would be a
/// dependency for one test.
struct Recorder;

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={value:?} ", field.name());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let target = event.metadata().target().to_owned();
        EVENTS.lock().unwrap().push((target, fields.0));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn the_warn_policy_emits_a_tracing_event() {
    tracing::subscriber::set_global_default(Recorder).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(
        async { std::thread::sleep(Duration::from_millis(60)) }
            .watchdog_budget(Duration::from_millis(10))
            .named("traced")
            .policy(Policy::Warn),
    );
    let events = EVENTS.lock().unwrap();
    assert!(
        events.iter().any(|(target, fields)| target == "pollguard"
            && fields.contains("task=\"traced\"")
            && fields.contains("stuck=false")),
        "no `pollguard` event for the poll that returned over budget: {events:?}"
    );
}
