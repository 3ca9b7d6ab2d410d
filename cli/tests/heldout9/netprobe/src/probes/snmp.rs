use std::time::Duration;

use snmp2::{Oid, SyncSession, Value};

const SYS_UPTIME: &[u64] = &[1, 3, 6, 1, 2, 1, 1, 3, 0];
const IF_DESCR: &[u64] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 2];

/// SNMP v2c poller for switches and printers.
pub struct SnmpPoller {
    pub session: SyncSession,
    pub host: String,
}

impl SnmpPoller {
    pub fn connect(host: &str, community: &str) -> anyhow::Result<Self> {
        let session = SyncSession::new_v2c(format!("{host}:161"), community.as_bytes(), Some(Duration::from_secs(2)), 0)?;
        Ok(Self { session, host: host.to_string() })
    }

    pub fn sys_uptime(&mut self) -> anyhow::Result<u32> {
        let oid = Oid::from(SYS_UPTIME).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mut pdu = self.session.get(&oid).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        match pdu.varbinds.next() {
            Some((_, Value::Timeticks(t))) => Ok(t),
            _ => Ok(0),
        }
    }

    pub fn interfaces(&mut self, max: u32) -> anyhow::Result<Vec<String>> {
        let oid = Oid::from(IF_DESCR).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let pdu = self.session.getbulk(&[&oid], 0, max).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        Ok(pdu
            .varbinds
            .filter_map(|(_, v)| match v {
                Value::OctetString(s) => Some(String::from_utf8_lossy(s).into_owned()),
                _ => None,
            })
            .collect())
    }
}
