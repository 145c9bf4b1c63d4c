//! 督办事项 — supervision items as leadership, centre admins, supervisors and department heads
//! read them. The escalation ladder opens (黄牌) and raises (红牌) them; supervisors and leaders
//! open them by hand too, and every item goes 立项 → 承办 → 督办 → 反馈 → 归档 (`verbs`).

mod store;
mod verbs;

pub use lianban_rules::supervision::{SupervisionStep, next_status};
pub(crate) use store::{NewItem, new_item, open_many};
pub use verbs::{DEFAULT_REPLY_DAYS, OpenSupervision};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use lianban_entity::supervision_item;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Which items to list (every filter optional; they combine).
#[derive(Debug, Clone, Default)]
pub struct SupervisionFilter {
    /// Only in this status.
    pub status: Option<lianban_rules::SupervisionStatus>,
    /// Only at this level.
    pub level: Option<lianban_rules::SupervisionLevel>,
    /// Only where they came from (the ladder, by hand, a bad review).
    pub source: Option<lianban_rules::SupervisionSource>,
    /// Only this department's (a department head always sees only their own).
    pub department_id: Option<Uuid>,
    /// Only those about this case.
    pub case_id: Option<Uuid>,
    /// Only opened at or after this instant, and before that one.
    pub opened_from: Option<DateTime<Utc>>,
    pub opened_to: Option<DateTime<Utc>>,
}

impl Engine {
    /// The supervision items `actor` may read, newest first: every item for a centre admin,
    /// leader or supervisor; a department head's own department's.
    ///
    /// # Errors
    /// `FORBIDDEN` for anybody else.
    pub async fn supervisions(
        &self,
        actor: &Actor,
        filter: &SupervisionFilter,
        page: PageRequest,
    ) -> Result<Page<crate::views::SupervisionItemView>> {
        let mut query = supervision_item::Entity::find();
        if !actor.reads_everything() {
            if !actor.has(Role::DeptHead) {
                return Err(Error::Forbidden(
                    "supervision items are read by leaders, the centre admin, supervisors and department heads".to_owned(),
                ));
            }
            if filter
                .department_id
                .is_some_and(|d| d != actor.department_id)
            {
                return Err(Error::Forbidden(
                    "another department's supervision items".to_owned(),
                ));
            }
            query = query.filter(supervision_item::Column::DepartmentId.eq(actor.department_id));
        }
        if let Some(department) = filter.department_id {
            query = query.filter(supervision_item::Column::DepartmentId.eq(department));
        }
        if let Some(status) = filter.status {
            query = query.filter(
                supervision_item::Column::Status
                    .eq(lianban_entity::SupervisionStatus::from(status)),
            );
        }
        if let Some(level) = filter.level {
            query = query.filter(
                supervision_item::Column::Level.eq(lianban_entity::SupervisionLevel::from(level)),
            );
        }
        if let Some(source) = filter.source {
            query = query.filter(
                supervision_item::Column::Source
                    .eq(lianban_entity::SupervisionSource::from(source)),
            );
        }
        if let Some(case) = filter.case_id {
            query = query.filter(supervision_item::Column::CaseId.eq(case));
        }
        if let Some(from) = filter.opened_from {
            query = query.filter(supervision_item::Column::OpenedAt.gte(from));
        }
        if let Some(to) = filter.opened_to {
            query = query.filter(supervision_item::Column::OpenedAt.lt(to));
        }
        (crate::store::page::fetch(self.db(), query, supervision_item::Column::Id, true, page)
            .await)
            .map(|p| p.map(Into::into))
    }

    /// One supervision item by id (for links; callers decide who may follow them).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn supervision_item_by_id(
        &self,
        id: uuid::Uuid,
    ) -> Result<Option<crate::views::SupervisionItemView>> {
        Ok(supervision_item::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .map(Into::into))
    }
}
