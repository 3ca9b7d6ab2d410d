use std::io::Cursor;
use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::*;

pub type Rows = Vec<Vec<String>>;

/// Reads the first worksheet of an .xlsx file on disk.
pub fn load_rows(path: &Path) -> Result<Rows, ConvertError> {
    let book = umya_spreadsheet::reader::xlsx::read(path)?;
    Ok(sheet_rows(&book))
}

pub fn load_rows_from_bytes(bytes: &[u8]) -> Result<Rows, ConvertError> {
    let book = umya_spreadsheet::reader::xlsx::read_reader(Cursor::new(bytes), true)?;
    Ok(sheet_rows(&book))
}

pub fn sheet_rows(book: &umya_spreadsheet::Workbook) -> Rows {
    let Ok(sheet) = book.sheet(0) else { return Vec::new() };
    let (cols, rows) = sheet.highest_column_and_row();
    (1..=rows).map(|r| (1..=cols).map(|c| sheet.value((c, r))).collect()).collect()
}

fn fill_workbook(rows: &Rows) -> Result<Workbook, ConvertError> {
    let mut wb = Workbook::new();
    let header = Format::new().set_bold();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                _ if r == 0 => ws.write_string_with_format(r, c, cell, &header)?,
                Ok(n) => ws.write_number(r, c, n)?,
                Err(_) => ws.write_string(r, c, cell)?,
            };
        }
    }
    ws.autofit();
    Ok(wb)
}

pub fn write_rows_xlsx(rows: &Rows, out: &Path) -> Result<(), ConvertError> {
    fill_workbook(rows)?.save(out)?;
    Ok(())
}

pub fn rows_to_xlsx_bytes(rows: &Rows) -> Result<Vec<u8>, ConvertError> {
    Ok(fill_workbook(rows)?.save_to_buffer()?)
}
