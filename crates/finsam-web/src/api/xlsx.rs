//! Excel exports for the kansli: the year's participant tables. Numbers are written as numbers, so the
//! sheets sum and filter like the kansli's own.

use crate::error::{ApiError, AppError, ErrorBody};
use crate::extract::{Tenant, perm};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use finsam_core::yearfile::{GenderCounts, ReportPeriod, ReportStatus};
use finsam_db::repo::{coach_reports, insatser, members};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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
    State(state): State<AppState>,
    ctx: Tenant<perm::ReadAll>,
    Path(path): Path<(String, i32)>,
) -> Result<Response, ApiError> {
    let year = path.1;
    let ins = insatser::list(&state.db, ctx.tenant_id(), insatser::Visibility::All).await?;
    let mem = members::list(&state.db, ctx.tenant_id()).await?;
    let rows: Vec<_> = coach_reports::list(&state.db, ctx.tenant_id(), None)
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
    let filename = format!(
        "attachment; filename=\"deltagare-{}-{year}.xlsx\"",
        ctx.tenant.slug
    );
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        bytes,
    )
        .into_response())
}
