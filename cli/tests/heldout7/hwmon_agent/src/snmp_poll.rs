//! UPS polling (UPS-MIB, RFC 1628) and a small SNMP trap receiver.

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use snmp::{SnmpError, SnmpPdu, SyncSession, Value};

const UPS_CHARGE: &[u32] = &[1, 3, 6, 1, 2, 1, 33, 1, 2, 4, 0];
const UPS_MINUTES: &[u32] = &[1, 3, 6, 1, 2, 1, 33, 1, 2, 3, 0];
const UPS_LOAD: &[u32] = &[1, 3, 6, 1, 2, 1, 33, 1, 4, 4, 1, 5, 1];

#[derive(Debug, thiserror::Error)]
pub enum PollError {
    #[error("snmp: {0:?}")]
    Snmp(SnmpError),
    #[error("no value for {0}")]
    Missing(&'static str),
}

pub struct UpsReading {
    pub charge: i64,
    pub minutes: i64,
    pub load: i64,
}

pub struct UpsPoller {
    pub session: SyncSession,
}

impl UpsPoller {
    pub fn connect(target: &str, community: &[u8]) -> std::io::Result<Self> {
        let session = SyncSession::new(target, community, Some(Duration::from_secs(2)), 1)?;
        Ok(UpsPoller { session })
    }
}

fn first_int(pdu: SnmpPdu) -> Option<i64> {
    pdu.varbinds.find_map(|(_, v)| match v {
        Value::Integer(i) => Some(i),
        Value::Unsigned32(u) | Value::Counter32(u) | Value::Timeticks(u) => Some(i64::from(u)),
        _ => None,
    })
}

fn get_int(s: &mut SyncSession, oid: &[u32], what: &'static str) -> Result<i64, PollError> {
    let pdu = s.get(oid).map_err(PollError::Snmp)?;
    first_int(pdu).ok_or(PollError::Missing(what))
}

pub fn poll_ups(p: &mut UpsPoller) -> Result<UpsReading, PollError> {
    Ok(UpsReading {
        charge: get_int(&mut p.session, UPS_CHARGE, "charge")?,
        minutes: get_int(&mut p.session, UPS_MINUTES, "minutes")?,
        load: get_int(&mut p.session, UPS_LOAD, "load")?,
    })
}

pub struct TrapEvent {
    pub source: SocketAddr,
    pub oid: String,
}

pub struct TrapListener {
    pub events: Receiver<TrapEvent>,
    pub stop: Arc<AtomicBool>,
    pub handle: JoinHandle<()>,
}

impl TrapListener {
    pub fn spawn(bind: &str) -> std::io::Result<Self> {
        let socket = UdpSocket::bind(bind)?;
        socket.set_read_timeout(Some(Duration::from_millis(500)))?;
        let (tx, events) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new().name("snmp-traps".into()).spawn(move || {
            let mut buf = [0u8; 4096];
            while !flag.load(Ordering::Relaxed) {
                let Ok((len, source)) = socket.recv_from(&mut buf) else { continue }; //~ ok(net)
                let Ok(pdu) = SnmpPdu::from_bytes(&buf[..len]) else { continue };
                let oid = pdu.varbinds.last().map(|(name, _)| name.to_string()).unwrap_or_default();
                if tx.send(TrapEvent { source, oid }).is_err() {
                    break;
                }
            }
        })?;
        Ok(TrapListener { events, stop, handle })
    }
}
