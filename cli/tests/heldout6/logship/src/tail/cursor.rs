use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::*;

impl Tailer {
    /// Lines appended after `from`; handles truncation (rotation in place).
    pub fn read_new(&mut self, path: &Path, from: u64) -> std::io::Result<(Vec<String>, u64)> {
        let mut file = fs_err::File::open(path)?;
        let len = file.metadata()?.len();
        let start = if len < from { 0 } else { from };
        file.seek(SeekFrom::Start(start))?;
        let mut reader = BufReader::new(file);
        let mut lines = Vec::new();
        let mut offset = start;
        let mut buf = String::new();
        loop {
            buf.clear();
            let n = reader.read_line(&mut buf)?;
            if n == 0 || !buf.ends_with('\n') {
                break;
            }
            offset += n as u64;
            lines.push(buf.trim_end().to_string());
        }
        Ok((lines, offset))
    }
}
