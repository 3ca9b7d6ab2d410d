mod store;

use fjall::{Keyspace, PartitionHandle};

/// fjall keyspace with two partitions: `tracks` (path -> record) and
/// `by_len` (zero-padded duration + path -> empty), for range queries.
pub struct Catalog {
    keyspace: Keyspace,
    tracks: PartitionHandle,
    by_len: PartitionHandle,
}

pub use store::Record;
