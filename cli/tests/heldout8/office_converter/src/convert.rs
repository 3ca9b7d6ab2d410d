use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use spreadsheet_ods::WorkBook;
use xml::reader::{EventReader, XmlEvent};

pub fn ods_to_csv_text(path: &Path) -> Result<String, spreadsheet_ods::OdsError> {
    let wb: WorkBook = spreadsheet_ods::read_ods(path)?;
    let mut out = String::new();
    if wb.num_sheets() > 0 {
        let sheet = wb.sheet(0);
        let (rows, cols) = sheet.used_grid_size();
        for r in 0..rows {
            let line: Vec<String> = (0..cols)
                .map(|c| sheet.value(r, c).as_str_or("").to_string())
                .collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    Ok(out)
}

pub fn xml_titles(path: &Path) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    let parser = EventReader::new(BufReader::new(File::open(path)?));
    let mut in_title = false;
    let mut titles = Vec::new();
    for ev in parser {
        match ev? {
            XmlEvent::StartElement { name, .. } => in_title = name.local_name == "title",
            XmlEvent::Characters(t) if in_title => titles.push(t),
            XmlEvent::EndElement { .. } => in_title = false,
            _ => {}
        }
    }
    Ok(titles)
}

pub async fn export_manifest(path: &Path, titles: &[String]) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut buf = Vec::new();
    {
        let mut w = xml::EmitterConfig::new().perform_indent(true).create_writer(&mut buf); //~ ok(fs)
        w.write(xml::writer::XmlEvent::start_element("manifest"))?; //~ ok(fs)
        for t in titles {
            w.write(xml::writer::XmlEvent::start_element("title"))?; //~ ok(fs)
            w.write(xml::writer::XmlEvent::characters(t))?; //~ ok(fs)
            w.write(xml::writer::XmlEvent::end_element())?; //~ ok(fs)
        }
        w.write(xml::writer::XmlEvent::end_element())?; //~ ok(fs)
    }
    tokio::fs::write(path, &buf).await?; //~ ok(fs)
    let mut direct = xml::EventWriter::new(File::create(path.with_extension("direct.xml"))?); //~ fs
    direct.write(xml::writer::XmlEvent::start_element("manifest"))?; //~ fs
    direct.write(xml::writer::XmlEvent::end_element())?; //~ fs
    let mut reader = EventReader::new(BufReader::new(File::open(path)?)); //~ fs
    let first = reader.next()?; //~ fs
    tracing::debug!(?first);
    let mut wb = WorkBook::new_empty(); //~ ok(fs)
    spreadsheet_ods::write_ods(&mut wb, path.with_extension("ods"))?; //~ fs
    Ok(())
}
