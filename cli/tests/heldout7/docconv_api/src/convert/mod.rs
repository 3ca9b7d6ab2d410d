pub mod ebook;
pub mod office;
pub mod sheets;

pub use ebook::{chapter_texts, EbookInfo};
pub use office::Converter;
pub use sheets::{load_rows, write_rows_xlsx, Rows};

#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("pdf: {0}")]
    Pdf(#[from] pdf_extract::OutputError),
    #[error("xlsx: {0}")]
    XlsxWrite(#[from] rust_xlsxwriter::XlsxError),
    #[error("spreadsheet: {0}")]
    XlsxRead(#[from] umya_spreadsheet::XlsxError),
    #[error("template: {0}")]
    Template(#[from] tera::Error),
    #[error("epub: {0}")]
    Epub(#[from] epub::doc::DocError),
    #[error("converter: {0}")]
    Io(#[from] std::io::Error),
    #[error("converter timed out after {0:?}")]
    Timeout(std::time::Duration),
}

impl warp::reject::Reject for ConvertError {}

/// Extracts text page by page from a PDF on disk.
pub fn text_by_pages(path: &std::path::Path) -> Result<Vec<String>, ConvertError> {
    Ok(pdf_extract::extract_text_by_pages(path)?)
}
