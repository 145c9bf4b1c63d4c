//! Hand-written read queries (aggregates for boards and reports) on both databases: the SQL is
//! written with `?` placeholders and numbered for PostgreSQL.

use crate::error::Result;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

/// `sql` with `?` placeholders, for `backend`.
pub(crate) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for ch in sql.chars() {
                if ch == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(ch);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs a read query.
pub(crate) async fn rows<C: ConnectionTrait>(
    db: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>> {
    let backend = db.get_database_backend();
    Ok(db.query_all_raw(statement(backend, sql, values)).await?)
}

/// A count or sum column as an `i64` (0 for NULL), whatever integer type the database gave.
pub(crate) fn int(row: &QueryResult, column: &str) -> Result<i64> {
    if let Ok(v) = row.try_get::<Option<i64>>("", column) {
        return Ok(v.unwrap_or(0));
    }
    if let Ok(v) = row.try_get::<Option<i32>>("", column) {
        return Ok(i64::from(v.unwrap_or(0)));
    }
    // PostgreSQL's SUM over bigint is numeric; cast in SQL where that matters.
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0))
}

/// The arrays of a bulk `INSERT … SELECT FROM UNNEST(…)` on PostgreSQL: one per column, uuid
/// columns first, then text columns, then whatever else `rest` holds, in placeholder order.
pub(crate) async fn unnest_exec<C: ConnectionTrait, const U: usize, const T: usize>(
    db: &C,
    sql: String,
    uuids: [Vec<uuid::Uuid>; U],
    texts: [Vec<String>; T],
    rest: Vec<Value>,
) -> Result<()> {
    let mut values: Vec<Value> = uuids.into_iter().map(Value::from).collect();
    values.extend(texts.into_iter().map(Value::from));
    values.extend(rest);
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?;
    Ok(())
}
