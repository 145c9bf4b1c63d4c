//! 转办 — a task moves to another staff member of the same department with a reason; across
//! departments only a centre admin moves it (SPEC §6). The deadline does not reset.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{TaskStatus, clock, post, staff, task};
use lianban_rules::policy::Actor;
use lianban_rules::roles::{Role, RoleSet};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

/// What the transferrer sends.
#[derive(Debug, Clone)]
pub struct TransferTask {
    /// The task.
    pub task_id: Uuid,
    /// Who takes it over.
    pub to_staff_id: Uuid,
    /// Why.
    pub reason: String,
}

impl Engine {
    /// Transfers a task.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a missing reason or a target who cannot work tasks; `NOT_FOUND`;
    /// `FORBIDDEN` unless the assignee, the department head or (across departments) a centre
    /// admin; `INVALID_STATE` when the task is finished.
    pub async fn transfer_task(
        &self,
        actor: &Actor,
        input: TransferTask,
    ) -> Result<crate::views::TaskView> {
        let reason = validate::required("reason", &input.reason, validate::MAX_TEXT)?;
        let now = self.now();
        let case_id = task::Entity::find_by_id(input.task_id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("task {}", input.task_id)))?
            .case_id;
        let (_gate, txn) = self.begin_write().await?;
        crate::cases::lock_case(&txn, case_id).await?;
        let t = task::Entity::find_by_id(input.task_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("task"))?;
        let target = staff::Entity::find_by_id(input.to_staff_id)
            .one(&txn)
            .await?
            .filter(|s| s.active)
            .ok_or_else(|| Error::not_found(format!("staff member {}", input.to_staff_id)))?;
        let target_roles = RoleSet::parse(&target.roles)?;
        if !target_roles
            .iter()
            .any(|r| matches!(r, Role::Reviewer | Role::DeptHead))
        {
            return Err(Error::invalid(
                "toStaffId",
                "that person does not work review tasks",
            ));
        }
        let across = target.department_id != t.department_id;
        let allowed = if across {
            actor.has(Role::CenterAdmin)
        } else {
            actor.has(Role::CenterAdmin)
                || actor.staff_id == t.assignee_id
                || (actor.has(Role::DeptHead) && actor.department_id == t.department_id)
        };
        if !allowed {
            return Err(Error::Forbidden(if across {
                "only a centre admin transfers a task to another department".to_owned()
            } else {
                "only the assignee or the department head transfers this task".to_owned()
            }));
        }
        if !matches!(t.status, TaskStatus::Open | TaskStatus::AwaitingSupplement) {
            return Err(Error::InvalidState(format!("this task is {:?}", t.status)));
        }
        if target.id == t.assignee_id {
            return Err(Error::invalid("toStaffId", "the task is already theirs"));
        }
        let post_id = if across {
            post::Entity::find()
                .filter(post::Column::DepartmentId.eq(target.department_id))
                .order_by_asc(post::Column::CreatedAt)
                .one(&txn)
                .await?
                .map(|p| p.id)
                .ok_or_else(|| {
                    Error::invalid("toStaffId", "that department has no post to take the task")
                })?
        } else {
            t.post_id
        };
        task::Entity::update_many()
            .col_expr(task::Column::AssigneeId, Expr::value(target.id))
            .col_expr(task::Column::ActingForId, Expr::value(Option::<Uuid>::None))
            .col_expr(
                task::Column::DepartmentId,
                Expr::value(target.department_id),
            )
            .col_expr(task::Column::PostId, Expr::value(post_id))
            .filter(task::Column::Id.eq(t.id))
            .exec(&txn)
            .await?;
        if across {
            clock::Entity::update_many()
                .col_expr(
                    clock::Column::DepartmentId,
                    Expr::value(Some(target.department_id)),
                )
                .filter(clock::Column::Id.eq(t.clock_id))
                .exec(&txn)
                .await?;
        }
        events::record(
            &txn,
            now,
            vec![NewEvent::case(EventKind::TaskTransferred, t.case_id, Some(actor.staff_id))
                .task(t.id)
                .before(json!({ "assigneeId": t.assignee_id, "departmentId": t.department_id }))
                .after(json!({ "assigneeId": target.id, "departmentId": target.department_id, "reason": reason }))],
        )
        .await?;
        self.tell_assignee(&txn, t.case_id, t.id, target.id, now)
            .await?;
        let moved = task::Entity::find_by_id(t.id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal("task vanished".into()))?;
        txn.commit().await?;
        Ok(crate::views::TaskView::from(moved))
    }
}
