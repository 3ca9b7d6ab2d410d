use std::fs::OpenOptions;

use camino::Utf8Path;
use memmap2::{Mmap, MmapMut, MmapOptions};

/// Fixed-size arena of thumbnail blobs backed by a memory-mapped file.
pub struct BlobArena {
    pub map: MmapMut,
    pub slot_size: usize,
}

impl BlobArena {
    pub fn open(path: &Utf8Path, slots: usize, slot_size: usize) -> anyhow::Result<Self> {
        let file = OpenOptions::new().read(true).write(true).create(true).open(path)?;
        file.set_len((slots * slot_size) as u64)?;
        let map = unsafe { MmapMut::map_mut(&file)? };
        Ok(Self { map, slot_size })
    }

    pub fn anonymous(slots: usize, slot_size: usize) -> anyhow::Result<Self> {
        Ok(Self { map: MmapMut::map_anon(slots * slot_size)?, slot_size })
    }

    pub fn put(&mut self, slot: usize, data: &[u8]) {
        let start = slot * self.slot_size;
        let n = data.len().min(self.slot_size);
        self.map[start..start + n].copy_from_slice(&data[..n]);
    }

    pub fn sync(&self) -> anyhow::Result<()> {
        self.map.flush()?;
        Ok(())
    }
}

/// Maps a read-only file and faults every page in up front.
pub fn map_populated(path: &Utf8Path) -> anyhow::Result<Mmap> {
    let file = std::fs::File::open(path)?;
    Ok(unsafe { MmapOptions::new().populate().map(&file)? })
}
