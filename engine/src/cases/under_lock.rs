//! What a verb on one task reads once its case is locked — in a statement after the lock, so it
//! sees every change committed before the lock was granted (in READ COMMITTED a statement that
//! waited for a row lock reads its other tables as of its own start).

use crate::error::{Error, Result};
use lianban_entity::{TaskStatus, staff, task};
use sea_orm::{DatabaseTransaction, FromQueryResult, IdenStatic, Iterable};
use uuid::Uuid;

/// A task read under its case's lock, with what answering it needs: how many other tasks of
/// the case are open, and the case's first responder (told when the case moves on).
pub(crate) struct UnderLock {
    pub task: task::Model,
    pub others_open: i64,
    pub responder: Option<staff::Model>,
}

/// Reads task `task_id` under its case's lock, with the case's first responder — one
/// statement.
///
/// # Errors
/// `NOT_FOUND` for no such task.
pub(crate) async fn task_under_lock(
    txn: &DatabaseTransaction,
    task_id: Uuid,
    first_responder_id: Uuid,
) -> Result<UnderLock> {
    let responder_columns: Vec<String> = staff::Column::iter()
        .map(|c| format!("r.{0} AS r_{0}", c.as_str()))
        .collect();
    let sql = format!(
        "SELECT t.*, (SELECT COUNT(*) FROM tasks o WHERE o.case_id = t.case_id \
           AND o.status = ? AND o.id <> t.id) AS others_open, {} \
         FROM tasks t LEFT JOIN staff r ON r.id = ? WHERE t.id = ?",
        responder_columns.join(", ")
    );
    let row = crate::store::sql::rows(
        txn,
        &sql,
        vec![
            TaskStatus::Open.into(),
            first_responder_id.into(),
            task_id.into(),
        ],
    )
    .await?
    .pop()
    .ok_or_else(|| Error::not_found(format!("task {task_id}")))?;
    let responder = match row.try_get::<Option<Uuid>>("", "r_id")? {
        Some(_) => Some(staff::Model::from_query_result(&row, "r_")?),
        None => None,
    };
    Ok(UnderLock {
        task: task::Model::from_query_result(&row, "")?,
        others_open: crate::store::sql::int(&row, "others_open")?,
        responder,
    })
}
