//! Excel exports for the kansli: the year's participant tables and the budget. Numbers are written as numbers, so the
//! sheets sum and filter like the kansli's own.

use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, perm};
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use finsam_core::yearfile::{GenderCounts, ReportPeriod, ReportStatus};
use finsam_db::repo::{coach_reports, insatser, members};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An .xlsx answer that browsers save under `filename` (ASCII: it is built from the slug and year).
fn download(filename: String, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

fn xlsx_error(e: XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
}

/// The columns of the participant table: a label and how to read it from a report.
type Column = (
    &'static str,
    fn(&finsam_core::yearfile::CoachReport) -> GenderCounts,
);

const COLUMNS: [Column; 9] = [
    ("Deltagare", |r| r.participants),
    ("Nya", |r| r.new_participants),
    ("Till arbete", |r| r.ended.arbete),
    ("Till studier", |r| r.ended.studier),
    ("Aktivt arbetssökande", |r| r.ended.aktivt_arbetssokande),
    ("Arbetslivsinriktad rehabilitering", |r| {
        r.ended.arbetslivsinriktad_rehabilitering
    }),
    ("Sjukdom", |r| r.ended.sjukdom),
    ("Annat skäl", |r| r.ended.annat_skal),
    ("Efterstöd", |r| r.efterstod),
];

/// The approved reports of a year, one row each, with kvinnor / män / uppgift saknas / totalt per column.
pub fn participants_workbook(
    tenant: &str,
    year: i32,
    rows: &[(String, String, finsam_core::yearfile::CoachReport)],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet().set_name(format!("Deltagare {year}"))?;
    sheet.write_string_with_format(
        0,
        0,
        format!("{tenant}: deltagare {year} (godkända rapporter)"),
        &bold,
    )?;
    let header_row = 2;
    sheet.write_string_with_format(header_row, 0, "Insats", &bold)?;
    sheet.write_string_with_format(header_row, 1, "Kommun", &bold)?;
    sheet.write_string_with_format(header_row, 2, "Period", &bold)?;
    let mut col = 3u16;
    for (label, _) in COLUMNS {
        for g in ["kvinnor", "män", "uppgift saknas", "totalt"] {
            sheet.write_string_with_format(header_row, col, format!("{label}, {g}"), &bold)?;
            col += 1;
        }
    }
    for (i, (insats, kommun, r)) in rows.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        sheet.write_string(row, 0, insats)?;
        sheet.write_string(row, 1, kommun)?;
        sheet.write_string(
            row,
            2,
            if r.period == ReportPeriod::Delar {
                "Delår"
            } else {
                "Helår"
            },
        )?;
        let mut col = 3u16;
        for (_, get) in COLUMNS {
            let g = get(r);
            for n in [g.kvinnor, g.man, g.uppgift_saknas, g.total()] {
                sheet.write_number(row, col, f64::from(n))?;
                col += 1;
            }
        }
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 20)?;
    sheet.set_freeze_panes(header_row + 1, 3)?;
    wb.save_to_buffer()
}

/// The year's participant tables as an Excel file.
#[utoipa::path(get, path = "/api/v1/t/{slug}/years/{year}/deltagare.xlsx", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, description = "An .xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = ErrorBody)))]
pub async fn participants(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Response, ApiError> {
    let year = path.1;
    let ins = insatser::list(&ctx.db, ctx.tenant_id(), insatser::Visibility::All).await?;
    let mem = members::list(&ctx.db, ctx.tenant_id()).await?;
    let rows: Vec<_> = coach_reports::list(&ctx.db, ctx.tenant_id(), None)
        .await?
        .into_iter()
        .filter(|r| r.report.year == year && r.report.status == ReportStatus::Approved)
        .map(|r| {
            let insats = ins
                .iter()
                .find(|i| insatser::key_of(i) == r.report.insats)
                .map(|i| i.name.clone())
                .unwrap_or_default();
            let kommun = r
                .report
                .kommun
                .as_ref()
                .and_then(|k| mem.iter().find(|m| m.key.as_deref() == Some(k.as_str())))
                .map(|m| m.name.clone())
                .unwrap_or_else(|| "Hela insatsen".into());
            (insats, kommun, r.report)
        })
        .collect();
    let bytes = participants_workbook(&ctx.tenant.name, year, &rows).map_err(xlsx_error)?;
    Ok(download(
        format!("deltagare-{}-{year}.xlsx", ctx.tenant.slug),
        bytes,
    ))
}

/// The budget with its five columns as the verksamhetsplan prints it: intäkter with the balanserat
/// resultat carried in, kostnader by verksamhet and administration, and the roll-forward. Amounts in kronor
/// (öre as decimals), so the sheet sums like the kansli's own.
pub fn budget_workbook(
    tenant: &str,
    file: &finsam_core::yearfile::YearFile,
) -> Result<Option<Vec<u8>>, XlsxError> {
    use finsam_core::finance::budget::{BudgetColumnKind, budget_columns};
    use finsam_core::yearfile::BudgetSection;
    let Some(budget) = &file.budget else {
        return Ok(None);
    };
    let year = file.year;
    let columns = budget_columns(budget, &file.members, year);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("# ##0;-# ##0");
    let money_bold = Format::new().set_num_format("# ##0;-# ##0").set_bold();
    let sheet = wb.add_worksheet().set_name(format!("Budget {year}"))?;
    sheet.write_string_with_format(
        0,
        0,
        format!("{tenant}: budget {year} och plan {}–{}", year + 1, year + 2),
        &bold,
    )?;
    let header = 2;
    sheet.write_string_with_format(header, 0, "Kronor", &bold)?;
    for (i, k) in BudgetColumnKind::ALL.iter().enumerate() {
        sheet.write_string_with_format(header, 1 + i as u16, k.label(year), &bold)?;
    }
    let by_column = |f: &dyn Fn(&finsam_core::finance::budget::BudgetColumn) -> i64| -> [i64; 5] {
        std::array::from_fn(|i| f(&columns[i]))
    };
    let mut w = Rows {
        row: header + 1,
        bold: &bold,
        money: &money,
        money_bold: &money_bold,
    };
    for (section, heading) in [
        (BudgetSection::Intakt, "Intäkter"),
        (BudgetSection::Verksamhet, "Kostnader verksamhet"),
        (BudgetSection::Administration, "Kostnader administration"),
    ] {
        w.heading(sheet, heading)?;
        for line in budget.lines.iter().filter(|l| l.section == section) {
            let values: [i64; 5] = std::array::from_fn(|i| BudgetColumnKind::ALL[i].amount(line).0);
            w.amounts(sheet, &line.label, values, false)?;
        }
        match section {
            BudgetSection::Intakt => {
                w.amounts(
                    sheet,
                    "Balanserat resultat",
                    by_column(&|c| c.balanserat_resultat_in.0),
                    false,
                )?;
                w.amounts(
                    sheet,
                    "Summa intäkter",
                    by_column(&|c| c.summa_intakter.0),
                    true,
                )?;
            }
            BudgetSection::Verksamhet => w.amounts(
                sheet,
                "Delsumma verksamhet",
                by_column(&|c| c.verksamhet.0),
                true,
            )?,
            BudgetSection::Administration => {
                w.amounts(
                    sheet,
                    "Delsumma administration",
                    by_column(&|c| c.administration.0),
                    true,
                )?;
                w.amounts(
                    sheet,
                    "Summa kostnader",
                    by_column(&|c| c.summa_kostnader.0),
                    true,
                )?;
            }
        }
        w.row += 1;
    }
    w.amounts(
        sheet,
        "Prel. balanserat resultat",
        by_column(&|c| c.prel_balanserat_resultat.0),
        true,
    )?;
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width_pixels(1, 110)?;
    for c in 2..=5 {
        sheet.set_column_width_pixels(c, 110)?;
    }
    Ok(Some(wb.save_to_buffer()?))
}

/// Writes the budget sheet row by row.
struct Rows<'a> {
    row: u32,
    bold: &'a Format,
    money: &'a Format,
    money_bold: &'a Format,
}

impl Rows<'_> {
    fn heading(
        &mut self,
        sheet: &mut rust_xlsxwriter::Worksheet,
        label: &str,
    ) -> Result<(), XlsxError> {
        sheet.write_string_with_format(self.row, 0, label, self.bold)?;
        self.row += 1;
        Ok(())
    }

    /// A labelled row of five amounts (öre), written as kronor with two decimals kept.
    fn amounts(
        &mut self,
        sheet: &mut rust_xlsxwriter::Worksheet,
        label: &str,
        values: [i64; 5],
        total: bool,
    ) -> Result<(), XlsxError> {
        if total {
            sheet.write_string_with_format(self.row, 0, label, self.bold)?;
        } else {
            sheet.write_string(self.row, 0, label)?;
        }
        for (i, v) in values.iter().enumerate() {
            sheet.write_number_with_format(
                self.row,
                1 + i as u16,
                *v as f64 / 100.0,
                if total { self.money_bold } else { self.money },
            )?;
        }
        self.row += 1;
        Ok(())
    }
}

/// The budget and its plan years as an Excel file.
#[utoipa::path(get, path = "/api/v1/t/{slug}/budgets/{year}/budget.xlsx", tag = "tenant", security(("bearer" = [])),
    params(("slug" = String, Path), ("year" = i32, Path)),
    responses((status = 200, description = "An .xlsx workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = ErrorBody)))]
pub async fn budget(
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Response, ApiError> {
    let year = path.1;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::NotFound.into());
    }
    let file = finsam_db::repo::yearfile::export(&ctx.db, ctx.tenant_id(), year).await?;
    let bytes = budget_workbook(&ctx.tenant.name, &file)
        .map_err(xlsx_error)?
        .ok_or(AppError::NotFound)?;
    Ok(download(
        format!("budget-{}-{year}.xlsx", ctx.tenant.slug),
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    /// The sheet holds the seed's rows: read back the shared strings and check the labels are there.
    #[test]
    fn the_budget_sheet_has_the_lines_and_the_roll_forward() {
        let json = include_str!("../../../../fixtures/sodra-vatterbygden-2024.json");
        let file = finsam_core::yearfile::parse(json.as_bytes()).unwrap();
        let bytes = super::budget_workbook("Södra Vätterbygden", &file)
            .unwrap()
            .unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(bytes.starts_with(b"PK"));
        // Compressed inside the zip, so check the structure rather than the text.
        assert!(text.contains("xl/worksheets/sheet1.xml") && text.contains("xl/sharedStrings.xml"));
        let mut no_budget = file.clone();
        no_budget.budget = None;
        assert!(super::budget_workbook("X", &no_budget).unwrap().is_none());
    }
}
