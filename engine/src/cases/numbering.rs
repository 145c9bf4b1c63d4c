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
