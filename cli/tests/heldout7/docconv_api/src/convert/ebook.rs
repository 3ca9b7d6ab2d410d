use std::io::{Cursor, Read, Seek};
use std::path::Path;

use epub::doc::{DocError, EpubDoc};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct EbookInfo {
    pub title: Option<String>,
    pub chapters: Vec<String>,
}

fn collect<R: Read + Seek>(doc: &mut EpubDoc<R>) -> EbookInfo {
    let mut chapters = Vec::new();
    loop {
        if let Some((html, _mime)) = doc.get_current_str() {
            chapters.push(strip_tags(&html));
        }
        if !doc.go_next() {
            break;
        }
    }
    EbookInfo { title: doc.get_title(), chapters }
}

pub fn chapter_texts(path: &Path) -> Result<EbookInfo, DocError> {
    let mut doc = EpubDoc::new(path)?;
    Ok(collect(&mut doc))
}

pub fn chapter_texts_from_bytes(bytes: Vec<u8>) -> Result<EbookInfo, DocError> {
    let mut doc = EpubDoc::from_reader(Cursor::new(bytes))?;
    Ok(collect(&mut doc))
}

pub fn strip_tags(html: &str) -> String {
    let mut in_tag = false;
    html.chars()
        .filter(|&c| {
            let keep = !in_tag && c != '<';
            in_tag = (in_tag || c == '<') && c != '>';
            keep
        })
        .collect()
}
