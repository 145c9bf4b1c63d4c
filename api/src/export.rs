//! 考核报表导出 — the score report as CSV over HTTP: `GET /reports/scores.csv?year=2026&month=11`
//! (omit `month` for the year) with `Authorization: Bearer <token>`. UTF-8 with a byte-order
//! mark, so a spreadsheet opens the Chinese text intact. Errors are JSON with the same codes as
//! GraphQL (`UNAUTHENTICATED`, `INVALID_INPUT`, …).

use crate::graphql::Session;
use crate::startup::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lianban_engine::Error;
use lianban_engine::scoring::ScoreReport;
use serde::Deserialize;
use serde_json::json;

/// The query string.
#[derive(Debug, Deserialize)]
pub struct ReportParams {
    year: Option<String>,
    month: Option<String>,
}

fn status(err: &Error) -> StatusCode {
    match err {
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::TooManyAttempts { .. } | Error::Limited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
        Error::InvalidState(_) | Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Internal(_) | Error::Database { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        Error::Rule(rule) => match rule.code() {
            "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "INVALID_INPUT" => StatusCode::BAD_REQUEST,
            "INTERNAL" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::CONFLICT,
        },
    }
}

fn failure(err: Error) -> Response {
    if let Some(detail) = err.internal_detail() {
        tracing::error!(%detail, "score export failed");
    }
    (
        status(&err),
        Json(json!({ "code": err.code(), "message": err.to_string() })),
    )
        .into_response()
}

fn number<T: std::str::FromStr>(field: &str, text: Option<&str>) -> Result<Option<T>, Error> {
    text.map(|t| {
        t.trim().parse::<T>().map_err(|_| {
            Error::invalid(
                field,
                format!(
                    "`{}` is not a number",
                    t.chars().take(20).collect::<String>()
                ),
            )
        })
    })
    .transpose()
}

/// The actor of a signed-in request outside GraphQL (a download): its session open, and no
/// temporary password waiting to be changed.
///
/// # Errors
/// `UNAUTHENTICATED` without an open session; `FORBIDDEN` while a temporary password waits.
pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<lianban_engine::Actor, Error> {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let session = Session::from_header(header, &state.tokens, state.engine.now()).await;
    let verified = session.verified()?.ok_or_else(|| {
        Error::Unauthenticated(
            "sign in first: send Authorization: Bearer <token from login>".to_owned(),
        )
    })?;
    let open = state
        .engine
        .session(verified.session_id, verified.staff_id)
        .await?;
    Ok(open.working_actor()?.clone())
}

/// `GET /reports/scores.csv`.
pub async fn scores_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<ReportParams>,
) -> Response {
    let result = async {
        let actor = signed_in(&state, &headers).await?;
        let year = number::<i32>("year", params.year.as_deref())?
            .ok_or_else(|| Error::invalid("year", "is required"))?;
        let month = number::<u32>("month", params.month.as_deref())?;
        let report = state.engine.score_report(&actor, year, month).await?;
        let body = render(&report).map_err(|e| Error::Internal(format!("csv: {e}")))?;
        Ok::<_, Error>((report, body))
    }
    .await;
    match result {
        Ok((report, body)) => {
            let name = match report.month {
                Some(m) => format!("scores-{}-{m:02}.csv", report.year),
                None => format!("scores-{}.csv", report.year),
            };
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => failure(err),
    }
}

/// `GET /admin/organisation.xlsx`.
pub async fn organisation_xlsx(State(state): State<AppState>, headers: HeaderMap) -> Response {
    organisation_file(state, headers, OrganisationFile::Workbook).await
}

/// `GET /admin/departments.csv`.
pub async fn departments_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    organisation_file(state, headers, OrganisationFile::Departments).await
}

/// `GET /admin/staff.csv`.
pub async fn staff_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    organisation_file(state, headers, OrganisationFile::Staff).await
}

/// Which file of the organisation list.
#[derive(Debug, Clone, Copy)]
enum OrganisationFile {
    /// `organisation.xlsx`: both sheets.
    Workbook,
    /// `departments.csv`.
    Departments,
    /// `staff.csv`.
    Staff,
}

/// The organisation in the import's layout (centre admin).
async fn organisation_file(
    state: AppState,
    headers: HeaderMap,
    file: OrganisationFile,
) -> Response {
    let result = async {
        let actor = signed_in(&state, &headers).await?;
        let list = state.engine.organisation_list(&actor).await?;
        Ok::<_, Error>(match file {
            OrganisationFile::Workbook => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "organisation.xlsx",
                crate::sheets::write_xlsx(&list)
                    .map_err(|e| Error::Internal(format!("xlsx: {e}")))?,
            ),
            OrganisationFile::Departments => (
                "text/csv; charset=utf-8",
                "departments.csv",
                crate::sheets::departments_csv(&list).into_bytes(),
            ),
            OrganisationFile::Staff => (
                "text/csv; charset=utf-8",
                "staff.csv",
                crate::sheets::staff_csv(&list).into_bytes(),
            ),
        })
    }
    .await;
    match result {
        Ok((kind, name, body)) => (
            [
                (header::CONTENT_TYPE, kind.to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(err) => failure(err),
    }
}

/// The report as CSV: one row per department, then one per staff member.
///
/// # Errors
/// A CSV writer error.
pub fn render(report: &ScoreReport) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    out.write_record([
        "类型",
        "部门",
        "姓名",
        "净分",
        "记分条数",
        "明细",
        "本年超期办件",
        "本年有效投诉",
        "评优资格",
        "原因",
    ])?;
    let departments: std::collections::HashMap<_, _> = report
        .departments
        .iter()
        .map(|d| (d.department_id, d.name.as_str()))
        .collect();
    for d in &report.departments {
        let detail: Vec<String> = d
            .by_rule
            .iter()
            .map(|r| format!("{} ×{} = {}", r.rule_code, r.count, r.points))
            .collect();
        out.write_record([
            "部门".to_owned(),
            d.name.clone(),
            String::new(),
            d.points.to_string(),
            d.entries.to_string(),
            detail.join("; "),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ])?;
    }
    for s in &report.staff {
        out.write_record([
            "人员".to_owned(),
            departments
                .get(&s.department_id)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            s.name.clone(),
            s.points.to_string(),
            s.entries.to_string(),
            String::new(),
            s.overdue_cases_this_year.to_string(),
            s.verified_complaints_this_year.to_string(),
            if s.ineligible_for_award {
                "不得评优"
            } else {
                "可评优"
            }
            .to_owned(),
            s.reasons.join("；"),
        ])?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}
