//! The organisation list as files: an `.xlsx` workbook with the sheets 部门 and 人员, or two
//! `.csv` files with the same columns (UTF-8, a header row; a byte-order mark is accepted, and
//! written so that spreadsheet programs read the Chinese right). Columns are found by their
//! header, in any order; the layout is `lianban_rules::organisation_import`'s.

use lianban_rules::organisation_import::{
    DEPARTMENT_COLUMNS, DEPARTMENTS_SHEET, DepartmentRow, OrganisationList, RowProblem,
    STAFF_COLUMNS, STAFF_SHEET, StaffRow,
};
use std::io::Cursor;

/// A file that cannot be read as the list at all (not a row's fault).
fn unreadable(sheet: &'static str, message: impl Into<String>) -> RowProblem {
    RowProblem {
        sheet,
        row: 1,
        column: String::new(),
        message: message.into(),
    }
}

/// Rows of text: the header first.
type Table = Vec<Vec<String>>;

/// The cells of each row under `columns`, by header; a missing column is a problem of row 1.
fn by_header(
    sheet: &'static str,
    columns: &[&str],
    table: &Table,
) -> Result<Vec<(usize, Vec<String>)>, RowProblem> {
    let header = table
        .first()
        .ok_or_else(|| unreadable(sheet, "the sheet is empty: its first row names the columns"))?;
    let index: Vec<usize> = columns
        .iter()
        .map(|column| {
            header
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *column)
                .ok_or_else(|| RowProblem {
                    sheet,
                    row: 1,
                    column: (*column).to_owned(),
                    message: format!(
                        "no column {column}: the first row names the columns {}",
                        columns.join("、")
                    ),
                })
        })
        .collect::<Result<_, _>>()?;
    Ok(table
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| {
            let row = index
                .iter()
                .map(|at| {
                    cells
                        .get(*at)
                        .map(|c| c.trim().to_owned())
                        .unwrap_or_default()
                })
                .collect();
            (i + 1, row)
        })
        .collect())
}

fn list_of(departments: &Table, staff: &Table) -> Result<OrganisationList, Vec<RowProblem>> {
    let d = by_header(DEPARTMENTS_SHEET, &DEPARTMENT_COLUMNS, departments);
    let s = by_header(STAFF_SHEET, &STAFF_COLUMNS, staff);
    let (d, s) = match (d, s) {
        (Ok(d), Ok(s)) => (d, s),
        (d, s) => return Err([d.err(), s.err()].into_iter().flatten().collect()),
    };
    Ok(OrganisationList {
        departments: d
            .into_iter()
            .map(|(row, c)| DepartmentRow {
                row,
                code: c[0].clone(),
                name: c[1].clone(),
                duties: c[2].clone(),
            })
            .collect(),
        staff: s
            .into_iter()
            .map(|(row, c)| StaffRow {
                row,
                username: c[0].clone(),
                name: c[1].clone(),
                email: c[2].clone(),
                department_code: c[3].clone(),
                roles: c[4].clone(),
                post: c[5].clone(),
                ab: c[6].clone(),
                sso_subject: c[7].clone(),
            })
            .collect(),
    })
}

/// Reads a workbook (`.xlsx`) holding the sheets 部门 and 人员 (either may be left out: an
/// absent sheet is an empty list).
///
/// # Errors
/// A problem naming what cannot be read.
pub fn read_xlsx(bytes: Vec<u8>) -> Result<OrganisationList, Vec<RowProblem>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
            vec![unreadable(
                DEPARTMENTS_SHEET,
                format!("not an .xlsx workbook: {e}"),
            )]
        })?;
    let names = book.sheet_names();
    let mut read = |sheet: &'static str, columns: &[&str]| -> Result<Table, RowProblem> {
        if !names.iter().any(|n| n == sheet) {
            return Ok(vec![columns.iter().map(|c| (*c).to_owned()).collect()]);
        }
        let range = book
            .worksheet_range(sheet)
            .map_err(|e| unreadable(sheet, format!("the sheet cannot be read: {e}")))?;
        Ok(range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect())
    };
    let departments = read(DEPARTMENTS_SHEET, &DEPARTMENT_COLUMNS);
    let staff = read(STAFF_SHEET, &STAFF_COLUMNS);
    match (departments, staff) {
        (Ok(d), Ok(s)) => list_of(&d, &s),
        (d, s) => Err([d.err(), s.err()].into_iter().flatten().collect()),
    }
}

/// A cell as text: whole numbers without a decimal point (a code typed as 001 stays a number
/// in many sheets, and usernames may be digits).
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

/// Reads the two CSV files.
///
/// # Errors
/// A problem naming what cannot be read.
pub fn read_csv(departments: &str, staff: &str) -> Result<OrganisationList, Vec<RowProblem>> {
    let table = |sheet: &'static str, text: &str| -> Result<Table, RowProblem> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        reader
            .records()
            .map(|r| {
                r.map(|record| record.iter().map(str::to_owned).collect())
                    .map_err(|e| unreadable(sheet, format!("not CSV: {e}")))
            })
            .collect()
    };
    let empty = |columns: &[&str]| columns.join(",");
    let departments = if departments.trim().is_empty() {
        empty(&DEPARTMENT_COLUMNS)
    } else {
        departments.to_owned()
    };
    let staff = if staff.trim().is_empty() {
        empty(&STAFF_COLUMNS)
    } else {
        staff.to_owned()
    };
    match (
        table(DEPARTMENTS_SHEET, &departments),
        table(STAFF_SHEET, &staff),
    ) {
        (Ok(d), Ok(s)) => list_of(&d, &s),
        (d, s) => Err([d.err(), s.err()].into_iter().flatten().collect()),
    }
}

fn department_cells(d: &DepartmentRow) -> [String; 3] {
    [d.code.clone(), d.name.clone(), d.duties.clone()]
}

fn staff_cells(s: &StaffRow) -> [String; 8] {
    [
        s.username.clone(),
        s.name.clone(),
        s.email.clone(),
        s.department_code.clone(),
        s.roles.clone(),
        s.post.clone(),
        s.ab.clone(),
        s.sso_subject.clone(),
    ]
}

/// Writes the list as a workbook.
///
/// # Errors
/// The writer's error (none for a list of text).
pub fn write_xlsx(list: &OrganisationList) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut sheet = |name: &str, columns: &[&str], rows: Vec<Vec<String>>| {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (c, header) in columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, c, *header, &bold)?;
            sheet.set_column_width(c, if *header == "工作职责" { 48 } else { 18 })?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, text) in row.iter().enumerate() {
                sheet.write_string(r, u16::try_from(c).unwrap_or(u16::MAX), text)?;
            }
        }
        Ok::<_, rust_xlsxwriter::XlsxError>(())
    };
    sheet(
        DEPARTMENTS_SHEET,
        &DEPARTMENT_COLUMNS,
        list.departments
            .iter()
            .map(|d| department_cells(d).to_vec())
            .collect(),
    )?;
    sheet(
        STAFF_SHEET,
        &STAFF_COLUMNS,
        list.staff.iter().map(|s| staff_cells(s).to_vec()).collect(),
    )?;
    book.save_to_buffer()
}

fn csv_of<const N: usize>(columns: [&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    let mut writer = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    // Writing to memory cannot fail.
    let _ = writer.write_record(columns);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The departments as CSV.
pub fn departments_csv(list: &OrganisationList) -> String {
    csv_of(
        DEPARTMENT_COLUMNS,
        list.departments.iter().map(department_cells),
    )
}

/// The staff as CSV.
pub fn staff_csv(list: &OrganisationList) -> String {
    csv_of(STAFF_COLUMNS, list.staff.iter().map(staff_cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OrganisationList {
        OrganisationList {
            departments: vec![DepartmentRow {
                row: 2,
                code: "XFJY".into(),
                name: "消防救援大队".into(),
                duties: "消防安全检查，含\u{201c}引号\u{201d}, 逗号".into(),
            }],
            staff: vec![StaffRow {
                row: 2,
                username: "xfjy.a".into(),
                name: "刘消防".into(),
                email: "xfjy.a@example.gov.cn".into(),
                department_code: "XFJY".into(),
                roles: "审核".into(),
                post: "审批岗".into(),
                ab: "A".into(),
                sso_subject: "E1001".into(),
            }],
        }
    }

    #[test]
    fn a_workbook_and_csv_files_read_back_as_written() {
        let list = sample();
        assert_eq!(read_xlsx(write_xlsx(&list).unwrap()).unwrap(), list);
        assert_eq!(
            read_csv(&departments_csv(&list), &staff_csv(&list)).unwrap(),
            list
        );
        assert!(
            departments_csv(&list).starts_with('\u{feff}'),
            "a BOM for spreadsheet programs"
        );
    }

    /// The sample list README shows (docs/samples): the workbook holds what the CSV files hold.
    /// `LIANBAN_WRITE_SAMPLES=1` writes the workbook from the CSV files.
    #[test]
    fn the_sample_workbook_holds_the_sample_csv_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/samples");
        let text = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
        let from_csv = read_csv(&text("departments.csv"), &text("staff.csv")).unwrap();
        assert_eq!(from_csv.departments.len(), 6);
        assert_eq!(from_csv.staff.len(), 19);
        let path = dir.join("organisation.xlsx");
        if std::env::var_os("LIANBAN_WRITE_SAMPLES").is_some() {
            std::fs::write(&path, write_xlsx(&from_csv).unwrap()).unwrap();
        }
        assert_eq!(read_xlsx(std::fs::read(&path).unwrap()).unwrap(), from_csv);
    }

    #[test]
    fn columns_are_found_by_header_and_missing_ones_named() {
        let staff = "姓名,用户名,邮箱,部门代码,角色,岗位,AB岗,统一身份认证标识\n刘消防,xfjy.a,a@b.cn,XFJY,审核,,,\n";
        let list = read_csv("", staff).unwrap();
        assert_eq!(list.staff[0].username, "xfjy.a");
        assert_eq!(list.staff[0].row, 2);
        let problems = read_csv("部门代码,部门名称\nX,Y\n", "").unwrap_err();
        assert_eq!(
            (problems[0].row, problems[0].column.as_str()),
            (1, "工作职责")
        );
        assert!(read_xlsx(b"not a workbook".to_vec()).is_err());
    }
}
