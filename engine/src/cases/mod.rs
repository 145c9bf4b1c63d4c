//! 办件 — the transactions that move a case: open, accept (fan-out), opinions (merge), decide;
//! and the reads portals make. Each write loads, asks `policy` and `lifecycle`, then writes
//! state and events in one transaction.

mod accept;
mod checklist;
mod decide;
mod documents;
mod ending;
mod extension;
pub(crate) mod numbering;
pub(crate) mod open;
mod opinion;
mod read;
mod reports;
mod resubmit;
mod staffing;
pub(crate) mod status;
mod supplement;
mod suspend;
pub mod task_feed;
mod task_reads;
mod transfer;
mod under_lock;
pub(crate) mod urgent;
pub(crate) mod verb;

pub use checklist::ChecklistItem;
pub use decide::DecideCase;
pub use ending::{DeliverResult, RecordUpperAnswer, ReportUp};
pub use extension::ExtendDeadline;
pub use open::{Applicant, OpenCase};
pub use opinion::SubmitOpinion;
pub use read::{CaseFilter, CaseView, ScopedCase, Written};
pub use reports::{FileReport, SignReport};
pub use supplement::IssueSupplement;
pub use suspend::SuspendCase;
pub use task_reads::TaskFilter;
pub use transfer::TransferTask;

use crate::error::{During, Error, Result};
use lianban_entity::{ReportStatus, case, negative_report, task};
use lianban_rules::policy::CaseScope;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

/// Locks a case for the rest of the transaction and returns it. The lock is the case's first
/// write (its version is bumped), so on PostgreSQL concurrent writers of one case queue on the
/// row and each sees what the one before committed.
///
/// # Errors
/// `NOT_FOUND` when there is no such case.
pub(crate) async fn lock_case<C: ConnectionTrait>(txn: &C, id: Uuid) -> Result<case::Model> {
    lock_case_where(txn, case::Column::Id.eq(id), || format!("case {id}")).await
}

/// Locks the case of task `task_id` as [`lock_case`] does, found from the task in the same
/// statement.
///
/// # Errors
/// `NOT_FOUND` when there is no such task.
pub(crate) async fn lock_case_of_task<C: ConnectionTrait>(
    txn: &C,
    task_id: Uuid,
) -> Result<case::Model> {
    let of_task = Query::select()
        .column(task::Column::CaseId)
        .from(task::Entity)
        .and_where(task::Column::Id.eq(task_id))
        .to_owned();
    lock_case_where(txn, case::Column::Id.in_subquery(of_task), || {
        format!("task {task_id}")
    })
    .await
}

/// One statement: the update takes the row lock and returns the row as it now is.
async fn lock_case_where<C: ConnectionTrait>(
    txn: &C,
    which: sea_orm::sea_query::SimpleExpr,
    missing: impl FnOnce() -> String,
) -> Result<case::Model> {
    case::Entity::update_many()
        .col_expr(
            case::Column::Version,
            Expr::col(case::Column::Version).add(1),
        )
        .filter(which)
        .exec_with_returning(txn)
        .await
        .during("locking the case")?
        .pop()
        .ok_or_else(|| Error::not_found(missing()))
}

/// The permission facts of a case.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub(crate) async fn scope_of<C: ConnectionTrait>(db: &C, case: &case::Model) -> Result<CaseScope> {
    let task_departments: Vec<Uuid> = task::Entity::find()
        .select_only()
        .column(task::Column::DepartmentId)
        .filter(task::Column::CaseId.eq(case.id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(CaseScope {
        lead_department_id: case.lead_department_id,
        lead_staff_id: case.lead_staff_id,
        task_departments,
    })
}

/// Refuses while a negative report on the case waits for its signature.
///
/// # Errors
/// `INVALID_STATE` when one is pending.
pub(crate) async fn ensure_no_pending_report<C: ConnectionTrait>(
    txn: &C,
    case_id: Uuid,
) -> Result<()> {
    let pending = negative_report::Entity::find()
        .filter(negative_report::Column::CaseId.eq(case_id))
        .filter(negative_report::Column::Status.eq(ReportStatus::Pending))
        .count(txn)
        .await?;
    if pending > 0 {
        return Err(Error::InvalidState(
            "a negative decision report on this case waits for its signature".to_owned(),
        ));
    }
    Ok(())
}
