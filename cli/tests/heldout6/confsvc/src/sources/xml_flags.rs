//! Feature flags in `<flags><flag name=".." enabled="true"/></flags>`.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

fn read_flags<R: BufRead>(reader: &mut Reader<R>) -> anyhow::Result<BTreeMap<String, bool>> {
    let mut flags = BTreeMap::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Empty(e) | Event::Start(e) if e.name().as_ref() == b"flag" => {
                let name = match e.try_get_attribute("name")? {
                    Some(a) => a.unescape_value()?.into_owned(),
                    None => continue,
                };
                let enabled = match e.try_get_attribute("enabled")? {
                    Some(a) => a.unescape_value()? == "true",
                    None => false,
                };
                flags.insert(name, enabled);
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(flags)
}

pub fn read_flags_file(path: &Path) -> anyhow::Result<BTreeMap<String, bool>> {
    let mut reader = Reader::from_file(path)?;
    read_flags(&mut reader)
}

pub fn parse_flags(xml: &[u8]) -> anyhow::Result<BTreeMap<String, bool>> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(true);
    read_flags(&mut reader)
}
