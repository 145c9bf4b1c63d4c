//! The escalation ladder's mail (`ladder_reminder`, `ladder_due`, `ladder_yellow_card`,
//! `ladder_red_card`, `ladder_daily`, and `duty_escalation` for the duty officer): one message
//! per recipient and kind of step, listing every case it concerns; and the leaders' morning
//! digest of every red item.

use super::forms;
use crate::clocks::Light;
use crate::escalation::ladder::Step;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

/// One case a ladder mail concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LadderItem {
    /// The case.
    pub case_id: Uuid,
    /// 办件编号.
    pub number: String,
    /// The matter's name, when known.
    #[serde(default)]
    pub matter: Option<String>,
    /// The department whose step it is (the task's, or the lead's).
    pub department: String,
    /// The task, for a department's review.
    #[serde(default)]
    pub task_id: Option<Uuid>,
    /// The clock's due time.
    pub due_at: DateTime<Utc>,
    /// Its light when the step fired (yellow before the due time, red after).
    pub light: Light,
    /// The step (`DUE`, `DAILY_2`, …).
    pub step: Step,
    /// Working days overdue: the daily reminder's number, or the card's threshold; 0 before.
    pub days_overdue: u32,
}

/// A ladder mail: the cases it concerns, in order.
///
/// Stored as `{"count": n, "items": [...]}`; a mail about one case has that case's fields at
/// the top as well, as every single-case mail has them. Read back from `items` alone.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LadderMail {
    /// The cases.
    pub items: Vec<LadderItem>,
}

impl LadderMail {
    /// The one case of a mail about one case.
    pub fn single(&self) -> Option<&LadderItem> {
        match self.items.as_slice() {
            [item] => Some(item),
            _ => None,
        }
    }
}

impl Serialize for LadderMail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Stored<'a> {
            #[serde(flatten, skip_serializing_if = "Option::is_none")]
            single: Option<&'a LadderItem>,
            count: usize,
            items: &'a [LadderItem],
        }
        Stored {
            single: self.single(),
            count: self.items.len(),
            items: &self.items,
        }
        .serialize(serializer)
    }
}

/// `leadership_digest` — 晨报: every red item, grouped by department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadershipDigest {
    /// The day (stored as `2026年12月04日`).
    #[serde(with = "forms::chinese_date")]
    pub date: NaiveDate,
    /// How many items.
    pub total: u64,
    /// By department, in name order.
    pub groups: Vec<DigestGroup>,
}

/// One department's red items in the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestGroup {
    /// The department's name.
    pub department: String,
    /// Its items, earliest due first.
    pub items: Vec<DigestItem>,
}

/// One red item in the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigestItem {
    /// 办件编号.
    pub number: String,
    /// The matter's name, when known.
    #[serde(default)]
    pub matter: Option<String>,
    /// The clock's due time.
    pub due_at: DateTime<Utc>,
    /// How far its supervision has gone.
    #[serde(default)]
    pub card: DigestCard,
    /// Whether it is a department's task (rather than the lead's own step).
    #[serde(default)]
    pub task: bool,
}

/// How far an overdue item's supervision has gone (stored as its label).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DigestCard {
    /// 红灯 — overdue, no card yet.
    #[default]
    #[serde(rename = "红灯")]
    RedLight,
    /// 黄牌.
    #[serde(rename = "黄牌")]
    YellowCard,
    /// 红牌.
    #[serde(rename = "红牌")]
    RedCard,
}

impl DigestCard {
    /// The label (`红牌`).
    pub fn label(self) -> &'static str {
        match self {
            DigestCard::RedLight => "红灯",
            DigestCard::YellowCard => "黄牌",
            DigestCard::RedCard => "红牌",
        }
    }
}
