//! 办结公告 — decided cases of the matters that must be published, for anybody to read, with no
//! personal data: the case number, the matter, the lead department, the outcome and when.

use crate::engine::Engine;
use crate::error::Result;
use crate::store::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use lianban_entity::{case, department, matter};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// One published decision. Deliberately no applicant, reason or conditions: those may name
/// people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// The case's id (the page cursor).
    pub id: Uuid,
    /// The case number (LB-…).
    pub number: String,
    /// The matter's code.
    pub matter_code: String,
    /// The matter's name.
    pub matter_name: String,
    /// The lead department's name.
    pub department: String,
    /// Approved or denied.
    pub outcome: lianban_rules::DecisionOutcome,
    /// When the decision was made.
    pub decided_at: DateTime<Utc>,
}

impl Engine {
    /// Published decisions, newest first, a page at a time (the cursor is the last case's id).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn public_announcements(&self, page: PageRequest) -> Result<Page<Announcement>> {
        let matters: HashMap<_, _> = matter::Entity::find()
            .filter(matter::Column::RequiresPublication.eq(true))
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        let mut query = case::Entity::find()
            .filter(case::Column::MatterId.is_in(matters.keys().copied()))
            .filter(case::Column::Decision.is_not_null())
            .filter(case::Column::DecidedAt.is_not_null())
            .order_by_desc(case::Column::DecidedAt)
            .order_by_desc(case::Column::Id);
        if let Some(after) = page.after {
            // Keyset on (decided_at, id): strictly after the cursor's case in that order.
            if let Some(at) = case::Entity::find_by_id(after)
                .one(self.db())
                .await?
                .and_then(|c| c.decided_at)
            {
                query = query.filter(
                    Condition::any().add(case::Column::DecidedAt.lt(at)).add(
                        Condition::all()
                            .add(case::Column::DecidedAt.eq(at))
                            .add(case::Column::Id.lt(after)),
                    ),
                );
            }
        }
        let cases = query.limit(page.first + 1).all(self.db()).await?;
        let cases = Page::from_rows(cases, page);
        let departments: HashMap<_, _> = department::Entity::find()
            .all(self.db())
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let items = cases
            .items
            .into_iter()
            .filter_map(|c| {
                let m = matters.get(&c.matter_id)?;
                Some(Announcement {
                    id: c.id,
                    number: c.number,
                    matter_code: m.code.clone(),
                    matter_name: m.name.clone(),
                    department: departments
                        .get(&c.lead_department_id)
                        .cloned()
                        .unwrap_or_default(),
                    outcome: c.decision?.into(),
                    decided_at: c.decided_at?,
                })
            })
            .collect();
        Ok(Page {
            items,
            has_next: cases.has_next,
            total: None,
        })
    }
}
