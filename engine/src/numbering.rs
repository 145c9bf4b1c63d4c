//! 办件编号 — human-readable case numbers, `LB-YYYYMMDD-NNNNNN`, one sequence per local day.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};

/// Formats a case number.
pub fn format_number(day: NaiveDate, n: i64) -> String {
    format!("LB-{}-{n:06}", day.format("%Y%m%d"))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_the_spec() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(format_number(day, 42), "LB-20261123-000042");
    }
}
