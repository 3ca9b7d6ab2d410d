//! Line protocol: `GET k`, `SET k v`, `MSET k v k v ...`, `SETBLOB k v`,
//! `DEL k`, `WAIT seq`, `FLUSH`, `FLUSHSYNC`, `FSYNC`, `STATS`, `KEYS`,
//! `IMPORT path`, `HEALTH`, `REPLICATE host:port`, `DEBUG SLEEP ms`, `FLUSHALL`.

use bytes::Bytes;

#[derive(Debug)]
pub enum Command {
    Get(String),
    Set(String, Bytes),
    MSet(Vec<(String, Bytes)>),
    SetBlob(String, Bytes),
    Del(String),
    Wait(u64),
    Flush,
    FlushSync,
    Fsync,
    Stats,
    Keys,
    Import(String),
    Health,
    Replicate(String),
    DebugSleep(u64),
    FlushAll,
}

#[derive(Debug)]
pub enum Reply {
    Ok,
    Nil,
    Int(i64),
    Value(Bytes),
    Lines(Vec<String>),
    Error(String),
}

impl Reply {
    pub fn encode(&self) -> String {
        match self {
            Reply::Ok => "+OK\n".into(),
            Reply::Nil => "$-1\n".into(),
            Reply::Int(i) => format!(":{i}\n"),
            Reply::Value(v) => format!("${}\n{}\n", v.len(), String::from_utf8_lossy(v)),
            Reply::Lines(l) => format!("*{}\n{}\n", l.len(), l.join("\n")),
            Reply::Error(e) => format!("-ERR {e}\n"),
        }
    }
}

pub fn parse(line: &str) -> Result<Command, String> {
    let mut parts = line.split_whitespace();
    let verb = parts.next().ok_or("empty command")?.to_ascii_uppercase();
    let mut arg = || parts.next().map(str::to_string).ok_or_else(|| format!("{verb}: missing argument"));
    Ok(match verb.as_str() {
        "GET" => Command::Get(arg()?),
        "SET" => Command::Set(arg()?, Bytes::from(arg()?)),
        "SETBLOB" => Command::SetBlob(arg()?, Bytes::from(arg()?)),
        "DEL" => Command::Del(arg()?),
        "WAIT" => Command::Wait(arg()?.parse().map_err(|_| "WAIT: bad seq")?),
        "FLUSH" => Command::Flush,
        "FLUSHSYNC" => Command::FlushSync,
        "FSYNC" => Command::Fsync,
        "STATS" => Command::Stats,
        "KEYS" => Command::Keys,
        "IMPORT" => Command::Import(arg()?),
        "HEALTH" => Command::Health,
        "REPLICATE" => Command::Replicate(arg()?),
        "FLUSHALL" => Command::FlushAll,
        "DEBUG" if arg()?.eq_ignore_ascii_case("SLEEP") => Command::DebugSleep(arg()?.parse().map_err(|_| "bad ms")?),
        "MSET" => {
            let rest: Vec<&str> = line.split_whitespace().skip(1).collect();
            Command::MSet(rest.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0].to_string(), Bytes::from(c[1].to_string()))).collect())
        }
        other => return Err(format!("unknown command {other}")),
    })
}
