use std::io::BufWriter;
use std::path::Path;

use anyhow::Result;

use super::*;
use crate::hashing;
use crate::manifest::Entry;

impl Archive {
    /// Hash, compress and store one file. Skips objects that already exist.
    pub fn put(&self, src: &Path, codec: Codec) -> Result<Entry> {
        let digest = hashing::digest_file(src)?;
        let dest = self.object_path(&digest, codec);
        let size = fs_err::metadata(src)?.len();
        if !dest.exists() {
            fs_err::create_dir_all(dest.parent().unwrap())?;
            let tmp = dest.with_extension("tmp");
            let out = BufWriter::new(fs_err::File::create(&tmp)?);
            compress(codec, fs_err::File::open(src)?, out)?;
            fs_err::rename(&tmp, &dest)?;
        }
        Ok(Entry { path: src.to_path_buf(), digest, size, codec })
    }

    /// Restore one object to `dest`.
    pub fn get(&self, entry: &Entry, dest: &Path) -> Result<u64> {
        let src = fs_err::File::open(self.object_path(&entry.digest, entry.codec))?;
        if let Some(parent) = dest.parent() {
            fs_err::create_dir_all(parent)?;
        }
        let out = fs_err::File::create(dest)?;
        Ok(decompress(entry.codec, src, out)?)
    }
}
