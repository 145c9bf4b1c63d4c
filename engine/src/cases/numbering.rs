//! 办件编号 — one sequence of case numbers per local day (the format is
//! [`lianban_rules::cases::opening::format_number`]).

use crate::error::{Error, Result};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};

use lianban_rules::cases::opening::format_number;

/// Takes the next number of `day` inside the caller's transaction (an atomic upsert, so
/// concurrent openings never share a number).
///
/// # Errors
/// `INTERNAL` when the database refuses.
pub(crate) async fn next_case_number<C: ConnectionTrait>(
    txn: &C,
    day: NaiveDate,
) -> Result<String> {
    let key = day.format("%Y%m%d").to_string();
    let stmt = Query::insert()
        .into_table("case_number_counters")
        .columns(["day", "last"])
        .values([key.into(), 1i64.into()])
        .map_err(|e| Error::Internal(format!("case number: {e}")))?
        .on_conflict(
            OnConflict::column("day")
                .value("last", Expr::col(("case_number_counters", "last")).add(1))
                .to_owned(),
        )
        .returning_col("last")
        .to_owned();
    let row = txn
        .query_one(&stmt)
        .await?
        .ok_or_else(|| Error::Internal("case number: no row returned".into()))?;
    let last: i64 = row.try_get("", "last")?;
    Ok(format_number(day, last))
}

/// Takes the next number of `day` on PostgreSQL in a statement of its own, outside the opening's
/// transaction, so the day's counter row is locked for this statement only. Its commit does not
/// wait for the disk (`synchronous_commit` off for this statement's transaction): the opening
/// that uses the number commits durably after it, and a commit makes everything logged before
/// it durable, so a number in a durable case is never lost; a crash can only lose a number no
/// case used.
///
/// # Errors
/// `INTERNAL` when the database refuses.
pub(crate) async fn next_case_number_alone(
    db: &sea_orm::DatabaseConnection,
    day: NaiveDate,
) -> Result<String> {
    let key = day.format("%Y%m%d").to_string();
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "INSERT INTO case_number_counters (day, last) \
             SELECT $1, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quick \
             ON CONFLICT (day) DO UPDATE SET last = case_number_counters.last + 1 \
             RETURNING last",
            [key.into()],
        ))
        .await?
        .ok_or_else(|| Error::Internal("case number: no row returned".into()))?;
    let last: i64 = row.try_get("", "last")?;
    Ok(format_number(day, last))
}
