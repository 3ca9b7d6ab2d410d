use std::net::IpAddr;

use maxminddb::{geoip2, Reader};

/// GeoIP country lookup; the database is loaded fully into memory.
pub struct GeoDb {
    reader: Option<Reader<Vec<u8>>>,
}

impl GeoDb {
    pub fn open(path: &str) -> anyhow::Result<Self> {
        Ok(GeoDb { reader: Some(Reader::open_readfile(path)?) })
    }

    pub fn from_bytes(buf: Vec<u8>) -> anyhow::Result<Self> {
        Ok(GeoDb { reader: Some(Reader::from_source(buf)?) })
    }

    pub fn empty() -> Self {
        GeoDb { reader: None }
    }

    pub fn country(&self, ip: IpAddr) -> Option<String> {
        let reader = self.reader.as_ref()?;
        let c: geoip2::Country = reader.lookup(ip).ok()?;
        c.country.and_then(|c| c.iso_code).map(str::to_string)
    }
}
