//! LibreOffice (`soffice --headless --convert-to`) wrapper.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

use super::ConvertError;

pub struct Converter {
    soffice: PathBuf,
    pub timeout: Duration,
}

impl Converter {
    pub fn new(soffice: impl Into<PathBuf>, timeout: Duration) -> Self {
        Converter { soffice: soffice.into(), timeout }
    }

    pub fn command(&self, input: &Path, target: &str, out_dir: &Path) -> Command {
        let mut cmd = Command::new(&self.soffice);
        cmd.args(["--headless", "--norestore", "--convert-to", target, "--outdir"]).arg(out_dir).arg(input);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    }

    /// Runs soffice, waiting at most `timeout`; kills it on expiry.
    pub fn convert_blocking(&self, input: &Path, target: &str, out_dir: &Path) -> Result<PathBuf, ConvertError> {
        let mut child = self.command(input, target, out_dir).spawn()?;
        match child.wait_timeout(self.timeout)? {
            Some(status) if status.success() => {
                let stem = input.file_stem().unwrap_or_default().to_string_lossy();
                Ok(out_dir.join(format!("{stem}.{target}")))
            }
            Some(status) => Err(io::Error::other(format!("soffice exited with {status}")).into()),
            None => {
                child.kill()?;
                child.wait()?;
                Err(ConvertError::Timeout(self.timeout))
            }
        }
    }
}
