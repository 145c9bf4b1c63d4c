//! 办件 — the transactions that move a case: open, accept (fan-out), opinions (merge), decide;
//! and the reads portals make. Each write loads, asks `policy` and `lifecycle`, then writes
//! state and events in one transaction.

mod accept;
mod decide;
mod open;
mod opinion;
mod read;
mod suspend;

pub use decide::DecideCase;
pub use open::{Applicant, OpenCase};
pub use opinion::SubmitOpinion;
pub use read::{CaseFilter, CaseView};
pub use suspend::SuspendCase;

use crate::error::{Error, Result};
use crate::policy::CaseScope;
use lianban_entity::{case, task};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

/// Locks a case for the rest of the transaction and returns it. The lock is the case's first
/// write (its version is bumped), so on PostgreSQL concurrent writers of one case queue on the
/// row and each sees what the one before committed.
///
/// # Errors
/// `NOT_FOUND` when there is no such case.
pub(crate) async fn lock_case<C: ConnectionTrait>(txn: &C, id: Uuid) -> Result<case::Model> {
    let locked = case::Entity::update_many()
        .col_expr(
            case::Column::Version,
            Expr::col(case::Column::Version).add(1),
        )
        .filter(case::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(Error::not_found(format!("case {id}")));
    }
    case::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| Error::not_found(format!("case {id}")))
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
