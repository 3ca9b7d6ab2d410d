use std::fs::File;
use std::path::Path;

use lopdf::Document;

fn annotate(doc: &mut Document, title: &str) {
    doc.change_producer(&format!("quarterly-reports {}", env!("CARGO_PKG_VERSION")));
    doc.trailer.set("ReportTitle", lopdf::Object::string_literal(title));
    doc.compress();
}

pub fn page_count(path: &Path) -> anyhow::Result<usize> {
    Ok(Document::load(path)?.get_pages().len())
}

pub async fn stamp_cover(template: &Path, out: &Path, title: &str) -> anyhow::Result<()> {
    let mut doc = Document::load(template)?; //~ fs
    annotate(&mut doc, title);
    doc.save(out)?; //~ fs
    Ok(())
}

pub async fn render_preview(template: &[u8], title: &str) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::load_mem(template)?; //~ ok(fs)
    annotate(&mut doc, title);
    let mut buf = Vec::new();
    doc.save_to(&mut buf)?; //~ ok(fs)
    Ok(buf)
}

pub async fn append_appendix(report: &Path, appendix: &[u8], out: &Path) -> anyhow::Result<usize> {
    let mut doc = Document::load(report)?; //~ fs
    let extra = Document::load_from(appendix)?; //~ ok(fs)
    let pages = doc.get_pages().len() + extra.get_pages().len();
    annotate(&mut doc, "with appendix");
    let mut file = File::create(out)?; //~ fs
    doc.save_to(&mut file)?; //~ fs
    Ok(pages)
}
