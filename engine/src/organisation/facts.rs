//! What the organisation's guards ([`lianban_rules::organisation`]) are given: which matters
//! name a department or a post, a department's open tasks, a post's holders, who is active and
//! who is left able to act.

use crate::error::Result;
use crate::people::holds;
use lianban_entity::{TaskStatus, department, matter, matter_department, post, post_b_holder};
use lianban_entity::{staff, task};
use lianban_rules::organisation::{DepartmentFacts, PostFacts, can_act};
use lianban_rules::roles::{Role, RoleSet};
use sea_orm::QueryFilter;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait};
use std::collections::HashSet;
use uuid::Uuid;

/// The names of the matters in `ids`, sorted.
async fn matter_names<C: ConnectionTrait>(db: &C, ids: HashSet<Uuid>) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut names: Vec<String> = matter::Entity::find()
        .filter(matter::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.name)
        .collect();
    names.sort();
    Ok(names)
}

/// The names of the matters whose lead column `lead` or whose co-handling column `co` is `id`.
async fn matters_naming<C: ConnectionTrait>(
    db: &C,
    lead: matter::Column,
    co: matter_department::Column,
    id: Uuid,
) -> Result<Vec<String>> {
    let mut ids: HashSet<Uuid> = matter::Entity::find()
        .filter(lead.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.extend(
        matter_department::Entity::find()
            .filter(co.eq(id))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.matter_id),
    );
    matter_names(db, ids).await
}

/// A department: the matters naming it (lead or co-handling) and its open tasks.
pub(crate) async fn department<C: ConnectionTrait>(
    db: &C,
    row: &department::Model,
) -> Result<DepartmentFacts> {
    let matters = matters_naming(
        db,
        matter::Column::LeadDepartmentId,
        matter_department::Column::DepartmentId,
        row.id,
    )
    .await?;
    let open_tasks = task::Entity::find()
        .filter(task::Column::DepartmentId.eq(row.id))
        .filter(task::Column::Status.is_in([TaskStatus::Open, TaskStatus::AwaitingSupplement]))
        .count(db)
        .await?;
    Ok(DepartmentFacts {
        name: row.name.clone(),
        matters,
        open_tasks,
    })
}

/// A post's holders: A first, then the B holders in order.
pub(crate) async fn chain<C: ConnectionTrait>(db: &C, row: &post::Model) -> Result<Vec<Uuid>> {
    Ok(crate::people::absences::chains(db, &[row.id])
        .await?
        .remove(&row.id)
        .map_or_else(|| vec![row.a_holder_id], |(_, chain)| chain))
}

/// A post with the holders it would have, and the matters that send tasks to it.
pub(crate) async fn post<C: ConnectionTrait>(
    db: &C,
    row: &post::Model,
    department_name: &str,
    holders: Vec<Uuid>,
) -> Result<PostFacts> {
    Ok(PostFacts {
        id: row.id,
        name: row.name.clone(),
        department: department_name.to_owned(),
        holders,
        matters: matters_naming(
            db,
            matter::Column::LeadPostId,
            matter_department::Column::PostId,
            row.id,
        )
        .await?,
    })
}

/// The posts `staff_id` holds (as A or B).
pub(crate) async fn posts_held<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
) -> Result<Vec<post::Model>> {
    let as_b: Vec<Uuid> = post_b_holder::Entity::find()
        .filter(post_b_holder::Column::StaffId.eq(staff_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| b.post_id)
        .collect();
    Ok(post::Entity::find()
        .filter(
            Condition::any()
                .add(post::Column::AHolderId.eq(staff_id))
                .add(post::Column::Id.is_in(as_b)),
        )
        .filter(post::Column::Active.eq(true))
        .all(db)
        .await?)
}

/// Which of `ids` are active staff.
pub(crate) async fn active_among<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>> {
    Ok(staff::Entity::find()
        .filter(staff::Column::Id.is_in(ids.iter().copied()))
        .filter(staff::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

/// The active staff of a department who could act on a case, `leaving` not counted, with the
/// roles `leaving` keeps counted as given.
pub(crate) async fn able_left<C: ConnectionTrait>(
    db: &C,
    department_id: Uuid,
    leaving: Uuid,
) -> Result<usize> {
    Ok(staff::Entity::find()
        .filter(staff::Column::DepartmentId.eq(department_id))
        .filter(staff::Column::Active.eq(true))
        .filter(staff::Column::Id.ne(leaving))
        .all(db)
        .await?
        .iter()
        .filter(|s| RoleSet::parse(&s.roles).is_ok_and(|r| can_act(&r)))
        .count())
}

/// The active centre admins other than `leaving`.
pub(crate) async fn admins_left<C: ConnectionTrait>(db: &C, leaving: Uuid) -> Result<usize> {
    Ok(staff::Entity::find()
        .filter(staff::Column::Active.eq(true))
        .filter(staff::Column::Id.ne(leaving))
        .all(db)
        .await?
        .iter()
        .filter(|s| holds(s, Role::CenterAdmin))
        .count())
}
