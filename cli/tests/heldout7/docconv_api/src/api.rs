use std::path::Path;
use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use serde::Deserialize;
use tracing::{debug, warn};
use wait_timeout::ChildExt;
use warp::http::StatusCode;
use warp::{reject, Rejection, Reply};

use crate::convert::{self, ConvertError, Rows};
use crate::render::summary_line;
use crate::store::output_path;
use crate::Shared;

const INLINE_LIMIT: usize = 2 * 1024 * 1024;

fn rej(e: impl Into<ConvertError>) -> Rejection {
    reject::custom(e.into())
}

async fn on_blocking_pool<T: Send + 'static, E: Into<ConvertError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, Rejection> {
    tokio::task::spawn_blocking(f).await.map_err(|e| rej(std::io::Error::other(e)))?.map_err(rej)
}

fn xlsx_reply(bytes: Vec<u8>, name: &str) -> warp::reply::Response {
    warp::reply::with_header(bytes, "content-disposition", format!("attachment; filename=\"{name}.xlsx\"")).into_response()
}

pub async fn pdf_text(body: Bytes, state: Shared) -> Result<impl Reply, Rejection> {
    let job = state.store.new_job();
    let text = if body.len() < INLINE_LIMIT {
        pdf_extract::extract_text_from_mem(&body).map_err(rej)? //~ ok(fs)
    } else {
        let path = state.store.save_upload(&job, "pdf", &body).map_err(rej)?; //~ fs
        pdf_extract::extract_text(&path).map_err(rej)? //~ fs
    };
    let summary = summary_line(text.matches('\u{c}').count() + 1, text.split_whitespace().count()); //~ ok(fs)
    Ok(warp::reply::json(&serde_json::json!({ "job": job, "summary": summary, "text": text })))
}

pub async fn pdf_pages(body: Bytes, state: Shared) -> Result<impl Reply, Rejection> {
    let job = state.store.new_job();
    let dir = state.store.dir(&job);
    tokio::fs::create_dir_all(&dir).await.map_err(rej)?; //~ ok(fs)
    let path = output_path(&dir, "input", "pdf");
    tokio::fs::write(&path, &body).await.map_err(rej)?; //~ ok(fs)
    let pages = convert::text_by_pages(&path).map_err(rej)?; //~ fs

    let thumb = Command::new("pdftoppm").args(["-png", "-r", "40", "-singlefile"]).arg(&path).arg(dir.join("thumb")).status(); //~ process
    if !matches!(thumb, Ok(s) if s.success()) {
        warn!(%job, "thumbnail generation failed");
    }
    let renderer = state.renderer.read().await; //~ ok(lock)
    let html = renderer.render("pages.html", &pages).map_err(rej)?; //~ ok(fs)
    Ok(warp::reply::html(html))
}

pub async fn xlsx_import(body: Bytes, state: Shared) -> Result<impl Reply, Rejection> {
    let rows: Rows = if body.len() < INLINE_LIMIT {
        convert::sheets::load_rows_from_bytes(&body).map_err(rej)? //~ ok(fs)
    } else {
        let path = state.store.dir("imports").join(format!("{}.xlsx", state.store.new_job()));
        tokio::fs::write(&path, &body).await.map_err(rej)?; //~ ok(fs)
        let book = umya_spreadsheet::reader::xlsx::read(&path).map_err(rej)?; //~ fs
        for sheet in book.sheet_collection() {
            debug!(sheet = sheet.name(), rows = sheet.highest_row(), "imported sheet");
        }
        convert::sheets::sheet_rows(&book)
    };
    Ok(warp::reply::json(&rows))
}

#[derive(Deserialize)]
pub struct ExportRequest {
    name: String,
    rows: Rows,
    #[serde(default)]
    keep_copy: bool,
    #[serde(default)]
    legacy_engine: bool, // v1 contract: umya's number formatting
}

pub async fn xlsx_export(req: ExportRequest, state: Shared) -> Result<impl Reply, Rejection> {
    let dir = state.store.dir(&state.store.new_job());
    let out = output_path(&dir, &req.name, "xlsx");
    if req.legacy_engine {
        let mut book = umya_spreadsheet::new_file(); //~ ok(fs)
        let sheet = book.sheet_mut(0).map_err(rej)?;
        for (r, row) in req.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.cell_mut(((c + 1) as u32, (r + 1) as u32)).set_value(value.as_str());
            }
        }
        std::fs::create_dir_all(&dir).map_err(rej)?; //~ fs
        umya_spreadsheet::writer::xlsx::write(&book, &out).map_err(rej)?; //~ fs
        let bytes = tokio::fs::read(&out).await.map_err(rej)?; //~ ok(fs)
        return Ok(xlsx_reply(bytes, &req.name));
    }
    if req.keep_copy {
        tokio::fs::create_dir_all(&dir).await.map_err(rej)?; //~ ok(fs)
        convert::write_rows_xlsx(&req.rows, &out).map_err(rej)?; //~ fs
        let bytes = std::fs::read(&out).map_err(rej)?; //~ fs
        return Ok(xlsx_reply(bytes, &req.name));
    }
    // rust_xlsxwriter assembles worksheets on scoped threads: keep it off the executor.
    let bytes = on_blocking_pool(move || convert::sheets::rows_to_xlsx_bytes(&req.rows)).await?; //~ ok(fs)
    Ok(xlsx_reply(bytes, &req.name))
}

pub async fn epub_chapters(body: Bytes, state: Shared) -> Result<impl Reply, Rejection> {
    if body.len() < INLINE_LIMIT {
        let info = on_blocking_pool(move || convert::ebook::chapter_texts_from_bytes(body.to_vec())).await?; //~ ok(fs)
        return Ok(warp::reply::json(&info));
    }
    let job = state.store.new_job();
    let path = state.store.save_upload(&job, "epub", &body).map_err(rej)?; //~ fs
    let mut doc = epub::doc::EpubDoc::new(&path).map_err(rej)?; //~ fs
    let title = doc.get_title(); //~ ok(fs)
    let mut chapters = Vec::new();
    for _ in 0..doc.get_num_chapters() {
        if let Some((html, _mime)) = doc.get_current_str() { //~ fs
            chapters.push(convert::ebook::strip_tags(&html));
        }
        doc.go_next();
    }
    Ok(warp::reply::json(&convert::EbookInfo { title, chapters }))
}

pub async fn office_convert(target: String, body: Bytes, state: Shared) -> Result<impl Reply, Rejection> {
    let job = state.store.new_job();
    let out_dir = state.store.dir(&job);
    tokio::fs::create_dir_all(&out_dir).await.map_err(rej)?; //~ ok(fs)
    let input = output_path(&out_dir, "input", "docx");
    tokio::fs::write(&input, &body).await.map_err(rej)?; //~ ok(fs)

    // A stale profile lock means another soffice is still shutting down.
    for _ in 0..10 {
        if !Path::new("/tmp/.~lock.soffice#").exists() { //~ fs
            break;
        }
        std::thread::sleep(Duration::from_millis(300)); //~ sleep
    }

    if target == "md" {
        let mut child = Command::new("pandoc").args(["-t", "gfm", "-o"]).arg(out_dir.join("input.md")).arg(&input).spawn().map_err(rej)?;
        if child.wait_timeout(Duration::from_secs(30)).map_err(rej)?.is_none() { //~ process
            let _ = child.kill();
            return Err(rej(ConvertError::Timeout(Duration::from_secs(30))));
        }
        let md = tokio::fs::read_to_string(out_dir.join("input.md")).await.map_err(rej)?; //~ ok(fs)
        return Ok(md.into_response());
    }
    if target == "pdf" {
        let mut cmd = tokio::process::Command::from(state.converter.command(&input, "pdf", &out_dir));
        match tokio::time::timeout(state.converter.timeout, cmd.status()).await { //~ ok(process)
            Ok(Ok(status)) if status.success() => {}
            _ => return Err(rej(ConvertError::Timeout(state.converter.timeout))),
        }
        let pdf = output_path(&out_dir, "input", "pdf");
        let text = tokio::task::spawn_blocking(move || pdf_extract::extract_text(&pdf)) //~ ok(fs)
            .await
            .map_err(|e| rej(std::io::Error::other(e)))?
            .map_err(rej)?;
        return Ok(text.into_response());
    }
    let produced = state.converter.convert_blocking(&input, &target, &out_dir).map_err(rej)?; //~ process
    let bytes = tokio::fs::read(&produced).await.map_err(rej)?; //~ ok(fs)
    Ok(bytes.into_response())
}

pub async fn reload_templates(state: Shared) -> Result<impl Reply, Rejection> {
    let mut renderer = state.renderer.write().await; //~ ok(lock)
    renderer.tera_mut().full_reload().map_err(rej)?; //~ fs
    let overrides = Path::new("/etc/docconv/templates.d");
    for entry in std::fs::read_dir(overrides).map_err(rej)? { //~ fs
        let path = entry.map_err(rej)?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        renderer.add_override(&path, &name).map_err(rej)?; //~ fs
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Spreadsheet summary of everything a job produced.
pub async fn job_report(job: String, state: Shared) -> Result<impl Reply, Rejection> {
    let dir = state.store.dir(&job);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let mut entries = tokio::fs::read_dir(&dir).await.map_err(rej)?; //~ ok(fs)
    let mut row = 0;
    while let Some(entry) = entries.next_entry().await.map_err(rej)? {
        let meta = entry.metadata().await.map_err(rej)?;
        ws.write_string(row, 0, entry.file_name().to_string_lossy()).map_err(rej)?;
        ws.write_number(row, 1, meta.len() as f64).map_err(rej)?;
        row += 1;
    }
    let epub = dir.join("input.epub");
    if tokio::fs::try_exists(&epub).await.unwrap_or(false) {
        let info = convert::chapter_texts(&epub).map_err(rej)?; //~ fs
        ws.write_string(row + 1, 0, format!("{} chapters", info.chapters.len())).map_err(rej)?;
    }
    let pages = convert::text_by_pages(&dir.join("input.pdf")).map(|p| p.len()).unwrap_or(0); //~ fs
    ws.write_number(row + 2, 0, pages as f64).map_err(rej)?;
    wb.save(dir.join("report.xlsx")).map_err(rej)?; //~ fs
    let rows = convert::load_rows(&dir.join("report.xlsx")).map_err(rej)?; //~ fs
    Ok(warp::reply::json(&rows))
}
