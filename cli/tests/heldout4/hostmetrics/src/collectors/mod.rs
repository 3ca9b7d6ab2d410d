pub mod disk;
pub mod net;
pub mod procfs;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use self::disk::DiskCollector;
pub use self::exec::ScriptCollector;
pub use self::net::NetCollector;
pub use self::procfs::{CpuCollector, MemCollector};

#[derive(Debug, Clone)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(&'static str, String)>,
    pub value: f64,
}

impl Sample {
    pub fn new(name: impl Into<String>, value: f64) -> Self {
        Self {
            name: name.into(),
            labels: Vec::new(),
            value,
        }
    }

    pub fn label(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.labels.push((k, v.into()));
        self
    }
}

pub trait Collector {
    fn name(&self) -> &'static str;
    fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()>;
}

pub struct All {
    pub cpu: CpuCollector,
    pub mem: MemCollector,
    pub disk: DiskCollector,
    pub net: NetCollector,
    pub exec: ScriptCollector,
}

fn parse_kv_file(path: &Path) -> io::Result<Vec<(String, f64)>> {
    let raw = fs::read_to_string(path)?;
    Ok(raw
        .lines()
        .filter_map(|l| {
            let (k, rest) = l.split_once(':')?;
            let v = rest.split_whitespace().next()?.parse().ok()?;
            Some((k.trim().to_owned(), v))
        })
        .collect())
}

pub mod exec {
    use std::process::Command;

    use super::*;

    pub struct ScriptCollector {
        scripts: Vec<PathBuf>,
    }

    impl ScriptCollector {
        pub fn new(scripts: Vec<PathBuf>) -> Self {
            Self { scripts }
        }

        pub fn enabled(&self) -> bool {
            !self.scripts.is_empty()
        }
    }

    impl Collector for ScriptCollector {
        fn name(&self) -> &'static str {
            "textfile_scripts"
        }

        fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()> {
            for path in &self.scripts {
                let output = Command::new(path).output()?;
                if !output.status.success() {
                    continue;
                }
                for line in String::from_utf8_lossy(&output.stdout).lines() {
                    if let Some((name, value)) = line.rsplit_once(' ') {
                        if let Ok(v) = value.parse() {
                            out.push(Sample::new(name, v).label("script", path.display().to_string()));
                        }
                    }
                }
            }
            Ok(())
        }
    }
}
