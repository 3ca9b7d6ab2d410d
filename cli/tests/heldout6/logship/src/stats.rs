use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use bus::BusReader;

#[derive(Clone, Debug)]
pub struct Stat {
    pub file: String,
    pub lines: usize,
    pub ok: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    per_file: BTreeMap<String, (u64, u64, u64)>,
    failures: u64,
}

impl Stats {
    pub fn record(&mut self, file: &str, lines: usize, bytes: usize, ok: bool) {
        let e = self.per_file.entry(file.to_string()).or_default();
        e.0 += 1;
        e.1 += lines as u64;
        e.2 += bytes as u64;
        if !ok {
            self.failures += 1;
        }
    }
}

pub fn write_report(path: &Path, s: &Stats) -> anyhow::Result<()> {
    let mut f = fs_err::File::create(path)?;
    for (file, (batches, lines, bytes)) in &s.per_file {
        writeln!(f, "{file}\t{batches}\t{lines}\t{bytes}")?;
    }
    writeln!(f, "failures\t{}", s.failures)?;
    Ok(())
}

/// Runs on its own thread until the bus is dropped.
pub fn print_events(mut rx: BusReader<Stat>) {
    while let Ok(ev) = rx.recv() {
        println!("{} {} lines {}", ev.file, ev.lines, if ev.ok { "shipped" } else { "FAILED" });
    }
}
