//! 督办事项 — supervision items as leadership, centre admins, supervisors and department heads
//! read them. The escalation ladder opens (黄牌) and raises (红牌) them; supervisors and leaders
//! open them by hand too, and every item goes 立项 → 承办 → 督办 → 反馈 → 归档 (`verbs`).

mod rules;
mod store;
mod verbs;

pub use rules::{SupervisionStep, next_status};
pub(crate) use store::{NewItem, new_item};
pub use verbs::{DEFAULT_REPLY_DAYS, OpenSupervision};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::policy::Actor;
use crate::roles::Role;
use lianban_entity::{SupervisionLevel, SupervisionStatus, supervision_item};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Which items to list.
#[derive(Debug, Clone, Default)]
pub struct SupervisionFilter {
    /// Only in this status.
    pub status: Option<SupervisionStatus>,
    /// Only at this level.
    pub level: Option<SupervisionLevel>,
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
    ) -> Result<Vec<supervision_item::Model>> {
        let mut query =
            supervision_item::Entity::find().order_by_desc(supervision_item::Column::OpenedAt);
        if !actor.reads_everything() {
            if !actor.has(Role::DeptHead) {
                return Err(Error::Forbidden(
                    "supervision items are read by leaders, the centre admin, supervisors and department heads".to_owned(),
                ));
            }
            query = query.filter(supervision_item::Column::DepartmentId.eq(actor.department_id));
        }
        if let Some(status) = filter.status {
            query = query.filter(supervision_item::Column::Status.eq(status));
        }
        if let Some(level) = filter.level {
            query = query.filter(supervision_item::Column::Level.eq(level));
        }
        Ok(query.limit(500).all(self.db()).await?)
    }

    /// One supervision item by id (for links; callers decide who may follow them).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn supervision_item_by_id(
        &self,
        id: uuid::Uuid,
    ) -> Result<Option<supervision_item::Model>> {
        Ok(supervision_item::Entity::find_by_id(id)
            .one(self.db())
            .await?)
    }
}
