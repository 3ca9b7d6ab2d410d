use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub originals: u64,
    pub bytes_in: u64,
    pub thumbs_made: u64,
    pub swept: u64,
}
