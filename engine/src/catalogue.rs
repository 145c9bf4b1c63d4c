//! 事项目录 — the catalogue of matters, as windows read it to open cases.

use crate::engine::Engine;
use crate::error::Result;
use lianban_entity::{matter, matter_department};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

impl Engine {
    /// Every matter, by code.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn matters(&self) -> Result<Vec<crate::views::MatterView>> {
        Ok(matter::Entity::find()
            .order_by_asc(matter::Column::Code)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The id of the matter with `code`, for filters.
    ///
    /// # Errors
    /// `INVALID_INPUT` naming `field` for an unknown code.
    pub async fn matter_id_by_code(&self, field: &str, code: &str) -> Result<Uuid> {
        let code =
            lianban_rules::validate::required(field, code, lianban_rules::validate::MAX_SHORT)?;
        matter::Entity::find()
            .filter(matter::Column::Code.eq(code.as_str()))
            .one(self.db())
            .await?
            .map(|m| m.id)
            .ok_or_else(|| crate::error::Error::invalid(field, format!("no matter `{code}`")))
    }

    /// The co-handling departments of a matter, in their catalogue order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn matter_departments(
        &self,
        matter_id: Uuid,
    ) -> Result<Vec<crate::views::MatterDepartmentView>> {
        Ok(matter_department::Entity::find()
            .filter(matter_department::Column::MatterId.eq(matter_id))
            .order_by_asc(matter_department::Column::Position)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}
