//! 办结公告 — a published decision, readable without signing in.

use crate::graphql::enums::DecisionOutcome;
use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};
use lianban_engine::announcements::Announcement;

/// A decided case of a matter that must be published. It carries no personal data: no
/// applicant, no reason, no conditions.
#[derive(SimpleObject)]
pub struct PublicAnnouncement {
    /// 办件编号.
    pub number: String,
    /// The matter's code.
    pub matter_code: String,
    /// 事项名称.
    pub matter_name: String,
    /// The lead department (牵头部门).
    pub department: String,
    /// 准予 / 不予.
    pub outcome: DecisionOutcome,
    /// 办结时间.
    pub decided_at: DateTime<Utc>,
}

impl From<Announcement> for PublicAnnouncement {
    fn from(a: Announcement) -> Self {
        PublicAnnouncement {
            number: a.number,
            matter_code: a.matter_code,
            matter_name: a.matter_name,
            department: a.department,
            outcome: a.outcome.into(),
            decided_at: a.decided_at,
        }
    }
}
