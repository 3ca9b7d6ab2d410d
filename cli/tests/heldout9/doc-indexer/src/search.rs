use std::sync::Mutex;

use camino::Utf8Path;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument, Term};

use crate::ingest::FeedDoc;

pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
}

pub struct SearchIndex {
    pub index: Index,
    pub writer: Mutex<IndexWriter>,
    pub reader: IndexReader,
    pub fields: Fields,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let title = b.add_text_field("title", TEXT | STORED);
    let body = b.add_text_field("body", TEXT);
    (b.build(), Fields { id, title, body })
}

impl SearchIndex {
    pub fn open(dir: &Utf8Path) -> anyhow::Result<Self> {
        let (schema, fields) = schema();
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(_) => Index::create_in_dir(dir, schema)?,
        };
        let writer = index.writer(64 * 1024 * 1024)?;
        let reader = index.reader()?;
        Ok(Self { index, writer: Mutex::new(writer), reader, fields })
    }

    pub fn in_ram() -> anyhow::Result<Self> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        let writer = index.writer(16 * 1024 * 1024)?;
        let reader = index.reader()?;
        Ok(Self { index, writer: Mutex::new(writer), reader, fields })
    }

    pub fn add(&self, d: &FeedDoc) -> anyhow::Result<()> {
        let w = self.writer.lock().unwrap();
        w.delete_term(Term::from_field_text(self.fields.id, &d.id));
        w.add_document(doc!(self.fields.id => d.id.clone(), self.fields.title => d.title.clone(), self.fields.body => d.body.clone()))?;
        Ok(())
    }

    pub fn commit(&self) -> anyhow::Result<u64> {
        let stamp = self.writer.lock().unwrap().commit()?;
        self.reader.reload()?;
        Ok(stamp)
    }

    pub fn query(&self, q: &str, limit: usize) -> anyhow::Result<Vec<String>> {
        let searcher = self.reader.searcher();
        let parser = QueryParser::for_index(&self.index, vec![self.fields.title, self.fields.body]);
        let query = parser.parse_query(q)?;
        let hits = searcher.search(&query, &TopDocs::with_limit(limit))?;
        let mut out = Vec::new();
        for (_score, addr) in hits {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(t) = d.get_first(self.fields.title).and_then(|v| v.as_str()) {
                out.push(t.to_string());
            }
        }
        Ok(out)
    }
}
