//! The legacy FTP mirror that the on-prem installers still download from.

use std::fs::File;
use std::path::Path;

use ftp::FtpStream;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct FtpMirror {
    host: String,
    user: String,
    password: String,
    root: String,
}

impl FtpMirror {
    pub fn from_env() -> Result<Self, BoxError> {
        Ok(FtpMirror {
            host: std::env::var("LEGACY_FTP_HOST")?,
            user: std::env::var("LEGACY_FTP_USER").unwrap_or_else(|_| "ci".into()),
            password: std::env::var("LEGACY_FTP_PASSWORD")?,
            root: std::env::var("LEGACY_FTP_ROOT").unwrap_or_else(|_| "/pub/releases".into()),
        })
    }

    pub fn connect(&self) -> Result<FtpStream, ftp::FtpError> {
        let mut ftp = FtpStream::connect((self.host.as_str(), 21))?;
        ftp.login(&self.user, &self.password)?;
        ftp.transfer_type(ftp::types::FileType::Binary)?;
        ftp.cwd(&self.root)?;
        Ok(ftp)
    }

    /// Uploads one file as `<root>/<remote>`, creating the version directory.
    pub fn upload(&self, local: &Path, remote: &str) -> Result<(), BoxError> {
        let mut ftp = self.connect()?;
        if let Some((dir, _)) = remote.rsplit_once('/') {
            let _ = ftp.mkdir(dir);
        }
        ftp.put(remote, &mut File::open(local)?)?;
        ftp.quit()?;
        Ok(())
    }
}
