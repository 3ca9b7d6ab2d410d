//! Parsing of the partner XML feeds (`<feed><doc id=".."><title/>..</doc></feed>`).

use camino::{Utf8Path, Utf8PathBuf};
use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Clone, Default)]
pub struct FeedDoc {
    pub id: String,
    pub title: String,
    pub body: String,
}

fn collect<R: std::io::BufRead>(reader: &mut Reader<R>) -> anyhow::Result<Vec<FeedDoc>> {
    let mut out = Vec::new();
    let mut buf = Vec::new();
    let mut cur = FeedDoc::default();
    let mut field = String::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == b"doc" => {
                cur = FeedDoc::default();
                if let Some(id) = e.try_get_attribute("id")? {
                    cur.id = id.unescape_value()?.into_owned();
                }
            }
            Event::Start(e) => field = String::from_utf8_lossy(e.name().as_ref()).into_owned(),
            Event::Text(t) if field == "title" => cur.title = t.unescape()?.into_owned(),
            Event::Text(t) if field == "body" => cur.body = t.unescape()?.into_owned(),
            Event::End(e) if e.name().as_ref() == b"doc" => out.push(std::mem::take(&mut cur)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

pub fn parse_feed_file(path: &Utf8Path) -> anyhow::Result<Vec<FeedDoc>> {
    let mut reader = Reader::from_file(path)?;
    reader.config_mut().trim_text(true);
    collect(&mut reader)
}

pub fn parse_feed_str(xml: &str) -> anyhow::Result<Vec<FeedDoc>> {
    let mut reader = Reader::from_reader(xml.as_bytes());
    reader.config_mut().trim_text(true);
    collect(&mut reader)
}

pub async fn parse_feed_async(path: &Utf8Path) -> anyhow::Result<Vec<FeedDoc>> {
    let file = tokio::fs::File::open(path).await?;
    let mut reader = Reader::from_reader(tokio::io::BufReader::new(file));
    let mut buf = Vec::new();
    let mut titles = Vec::new();
    loop {
        match reader.read_event_into_async(&mut buf).await? {
            Event::Text(t) => titles.push(FeedDoc { title: t.unescape()?.into_owned(), ..Default::default() }),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(titles)
}

/// All `*.xml` files directly under `dir`.
pub fn scan_dir(dir: &Utf8Path) -> anyhow::Result<Vec<Utf8PathBuf>> {
    let mut out = Vec::new();
    for entry in dir.read_dir_utf8()? {
        let entry = entry?;
        if entry.path().extension() == Some("xml") && entry.file_type()?.is_file() {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}
