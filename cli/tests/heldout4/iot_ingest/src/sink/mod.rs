mod buffer;
pub mod file;
pub mod influx;

use crate::Reading;

pub use self::buffer::Ring;
pub use self::file::FileSink as Csv;
pub use self::influx::InfluxSink;

pub struct Fanout {
    pub influx: Option<InfluxSink>,
    pub csv: Option<Csv>,
    pub backlog: Ring,
}

impl Fanout {
    pub fn write(&self, r: &Reading) -> anyhow::Result<()> {
        if let Some(csv) = &self.csv {
            csv.append(r)?;
        }
        if let Some(influx) = &self.influx {
            if let Err(e) = influx.write(std::slice::from_ref(r)) {
                tracing::debug!(error = %e, "influx write failed, buffering");
                self.backlog.push(r.clone());
            }
        }
        Ok(())
    }

    pub fn drain_backlog(&self) -> usize {
        let Some(influx) = &self.influx else {
            return 0;
        };
        let batch = self.backlog.take(500);
        let n = batch.len();
        if n > 0 && influx.write(&batch).is_err() {
            batch.into_iter().for_each(|r| self.backlog.push(r));
            return 0;
        }
        n
    }
}
