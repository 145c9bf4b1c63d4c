//! The reads of tasks: a person's task list with its filters, the tasks of a case as one reader
//! may see them, and the running clocks showing a light (which the case list filters by too).

use crate::cases::CaseView;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use lianban_entity::{ClockState, LimitUnit, case, clock, task};
use lianban_rules::clocks::Light;
use lianban_rules::policy::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveEnum, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// Which of my tasks to list (every filter optional; they combine).
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only tasks in this status.
    pub status: Option<lianban_rules::TaskStatus>,
    /// Only tasks whose clock shows this light now (running clocks).
    pub light: Option<Light>,
    /// Only tasks of cases of this kind, or of this matter.
    pub kind: Option<lianban_rules::CaseKind>,
    pub matter_id: Option<Uuid>,
    /// Only tasks created at or after this instant, and before that one.
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
}

impl Engine {
    /// The tasks assigned to `actor` (including those worked for an absent colleague): urgent
    /// cases' first (急事急办), then oldest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn my_tasks(
        &self,
        actor: &Actor,
        filter: &TaskFilter,
        page: PageRequest,
    ) -> Result<Page<crate::views::TaskView>> {
        let mut query = task::Entity::find().filter(task::Column::AssigneeId.eq(actor.staff_id));
        if let Some(status) = filter.status {
            query = query.filter(task::Column::Status.eq(lianban_entity::TaskStatus::from(status)));
        }
        if let Some(from) = filter.created_from {
            query = query.filter(task::Column::CreatedAt.gte(from));
        }
        if let Some(to) = filter.created_to {
            query = query.filter(task::Column::CreatedAt.lt(to));
        }
        if filter.kind.is_some() || filter.matter_id.is_some() {
            let mut cases = Query::select()
                .column(case::Column::Id)
                .from(case::Entity)
                .to_owned();
            if let Some(kind) = filter.kind {
                cases.and_where(case::Column::Kind.eq(lianban_entity::CaseKind::from(kind)));
            }
            if let Some(matter) = filter.matter_id {
                cases.and_where(case::Column::MatterId.eq(matter));
            }
            query = query.filter(task::Column::CaseId.in_subquery(cases));
        }
        if let Some(light) = filter.light {
            let lit = self.lit_clocks(light).await?;
            query = query.filter(task::Column::ClockId.in_subquery(lit));
        }
        crate::store::page::fetch_flag_first(
            self.db(),
            query,
            task::Column::Urgent,
            task::Column::Id,
            false,
            page,
        )
        .await
        .map(|p| p.map(Into::into))
    }

    /// The ids of the running clocks showing `light` now (a sub-query over `(state, due_at)`).
    pub(super) async fn lit_clocks(
        &self,
        light: Light,
    ) -> Result<sea_orm::sea_query::SelectStatement> {
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let t = self.thresholds();
        let days =
            calendar.add_working_seconds(now, t.yellow_working_days * calendar.day_seconds())?;
        let minutes = calendar.add_working_seconds(now, t.yellow_working_minutes * 60)?;
        let natural = now + chrono::Duration::days(t.yellow_working_days);
        let due = || Expr::col((clock::Entity, clock::Column::DueAt));
        let unit = || Expr::col((clock::Entity, clock::Column::Unit));
        let yellow = Condition::any()
            .add(
                unit()
                    .eq(LimitUnit::WorkingMinutes.to_value())
                    .and(due().lte(minutes)),
            )
            .add(
                unit()
                    .eq(LimitUnit::WorkingDays.to_value())
                    .and(due().lte(days)),
            )
            .add(
                unit()
                    .eq(LimitUnit::NaturalDays.to_value())
                    .and(due().lte(natural)),
            );
        let condition = match light {
            Light::Red => Condition::all().add(due().lt(now)),
            Light::Yellow => Condition::all().add(due().gte(now)).add(yellow),
            Light::Green => Condition::all().add(due().gte(now)).add(yellow.not()),
        };
        Ok(Query::select()
            .column((clock::Entity, clock::Column::Id))
            .from(clock::Entity)
            .and_where(
                Expr::col((clock::Entity, clock::Column::State)).eq(ClockState::Running.to_value()),
            )
            .cond_where(condition)
            .to_owned())
    }

    /// A task by id, when `actor` may read its case.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN`.
    pub async fn task(&self, actor: &Actor, id: Uuid) -> Result<crate::views::TaskView> {
        let task = task::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("task {id}")))?;
        let view = self.case_view(actor, task.case_id).await?;
        if !view.shows_department(task.department_id) {
            return Err(Error::Forbidden(
                "this task belongs to another department".to_owned(),
            ));
        }
        Ok(crate::views::TaskView::from(task))
    }

    /// The tasks of a case the reader may see (a co-handling department: its own), in
    /// creation order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_tasks(&self, view: &CaseView) -> Result<Vec<crate::views::TaskView>> {
        let mut query = task::Entity::find().filter(task::Column::CaseId.eq(view.case.id));
        if !view.every_task_visible {
            query = query.filter(task::Column::DepartmentId.eq(view.reader_department_id));
        }
        Ok(query
            .order_by_asc(task::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
