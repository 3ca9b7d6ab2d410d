mod mqtt;

pub use mqtt::*;

pub const TOPIC_PREFIX: &str = "plant/telemetry";

pub fn topic_for(site: &str, block: &str) -> String {
    format!("{TOPIC_PREFIX}/{site}/{block}")
}
