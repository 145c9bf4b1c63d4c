//! Reading clocks as portals show them: the due time, what is left, the light and the pauses.

use super::{ClockView, pauses_of, statutory};
use crate::engine::Engine;
use crate::error::Result;
use lianban_entity::clock;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

impl Engine {
    /// A clock as it reads now.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault or a corrupt clock.
    pub async fn clock_view(&self, id: Uuid) -> Result<Option<ClockView>> {
        let Some(row) = clock::Entity::find_by_id(id).one(self.db()).await? else {
            return Ok(None);
        };
        let pauses = pauses_of(self.db(), &[id])
            .await?
            .remove(&id)
            .unwrap_or_default();
        let rule = statutory(&row, &pauses)?;
        let calendar = self.calendar();
        let reading = rule.read(&calendar, self.now(), self.thresholds())?;
        Ok(Some(ClockView {
            clock: row.into(),
            pauses: rule.pauses,
            reading,
        }))
    }

    /// Several clocks as they read now, by id (for a page of tasks: two queries).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault or a corrupt clock.
    pub async fn clock_views(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, ClockView>> {
        let mut out = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = clock::Entity::find()
            .filter(clock::Column::Id.is_in(ids.iter().copied()))
            .all(self.db())
            .await?;
        let mut pauses = pauses_of(self.db(), ids).await?;
        let calendar = self.calendar();
        let (now, thresholds) = (self.now(), self.thresholds());
        for row in rows {
            let rule = statutory(&row, &pauses.remove(&row.id).unwrap_or_default())?;
            let reading = rule.read(&calendar, now, thresholds)?;
            out.insert(
                row.id,
                ClockView {
                    clock: row.into(),
                    pauses: rule.pauses,
                    reading,
                },
            );
        }
        Ok(out)
    }

    /// Clocks a verb has just started, as they read at `now` (no pauses yet; nothing read).
    ///
    /// # Errors
    /// `INTERNAL` for a corrupt clock.
    pub(crate) fn fresh_clock_views(
        &self,
        calendar: &lianban_rules::calendar::WorkingCalendar,
        rows: &[clock::Model],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<HashMap<Uuid, ClockView>> {
        let thresholds = self.thresholds();
        rows.iter()
            .map(|row| {
                let rule = statutory(row, &[])?;
                let reading = rule.read(calendar, now, thresholds)?;
                Ok((
                    row.id,
                    ClockView {
                        clock: row.clone().into(),
                        pauses: rule.pauses,
                        reading,
                    },
                ))
            })
            .collect()
    }
}
