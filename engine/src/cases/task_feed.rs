//! 环节动态 — the task events department portals subscribe to (a task created, reassigned,
//! its light changed, resolved or cancelled), read from the append-only event log, so that a
//! change made by any process (another `serve`, a `worker`'s sweep) reaches every subscriber.
//!
//! Which logged event is which kind of task event is the rule
//! [`lianban_rules::cases::task_feed::classify`]; [`Engine::task_events_after`] reads the log
//! after a sequence number and names the departments that hear of each.

use crate::engine::Engine;
use crate::error::Result;
use chrono::{DateTime, Utc};
use lianban_entity::{event, task};
pub use lianban_rules::cases::task_feed::TaskEventKind;
use lianban_rules::cases::task_feed::classify;
use lianban_rules::clocks::Light;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// One task event, with the departments that hear of it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskEvent {
    /// The event's place in the log.
    pub seq: i64,
    pub kind: TaskEventKind,
    pub at: DateTime<Utc>,
    pub task_id: Uuid,
    pub case_id: Uuid,
    /// The departments that hear of it: the task's, and for a transfer the one it left.
    pub departments: Vec<Uuid>,
    /// The new light, for `LightChanged`.
    pub light: Option<Light>,
}

/// One page of the log read after a sequence number.
#[derive(Debug, Clone, Default)]
pub struct FeedPage {
    /// Every sequence number read (task events or not), in order: the reader's watermark.
    pub seqs: Vec<i64>,
    /// The task events among them.
    pub events: Vec<TaskEvent>,
}

impl Engine {
    /// The newest sequence number in the event log (0 when empty).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn latest_event_seq(&self) -> Result<i64> {
        let seq: Option<i64> = event::Entity::find()
            .select_only()
            .column(event::Column::Seq)
            .order_by_desc(event::Column::Seq)
            .limit(1)
            .into_tuple()
            .one(self.db())
            .await?;
        Ok(seq.unwrap_or(0))
    }

    /// Up to `limit` logged events after `after`, with the task events among them.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn task_events_after(&self, after: i64, limit: u64) -> Result<FeedPage> {
        let rows = event::Entity::find()
            .filter(event::Column::Seq.gt(after))
            .order_by_asc(event::Column::Seq)
            .limit(limit)
            .all(self.db())
            .await?;
        let mut page = FeedPage {
            seqs: rows.iter().map(|r| r.seq).collect(),
            events: Vec::new(),
        };
        let about: Vec<(event::Model, TaskEventKind, Option<Light>)> = rows
            .into_iter()
            .filter_map(|r| {
                let (kind, light) = classify(&r.kind, r.after.as_ref())?;
                r.task_id?;
                Some((r, kind, light))
            })
            .collect();
        if about.is_empty() {
            return Ok(page);
        }
        let ids: Vec<Uuid> = about.iter().filter_map(|(r, _, _)| r.task_id).collect();
        let departments: HashMap<Uuid, (Uuid, Uuid)> = task::Entity::find()
            .select_only()
            .column(task::Column::Id)
            .column(task::Column::DepartmentId)
            .column(task::Column::CaseId)
            .filter(task::Column::Id.is_in(ids))
            .into_tuple::<(Uuid, Uuid, Uuid)>()
            .all(self.db())
            .await?
            .into_iter()
            .map(|(id, department, case)| (id, (department, case)))
            .collect();
        for (row, kind, light) in about {
            let Some(task_id) = row.task_id else { continue };
            let Some(&(department, case_id)) = departments.get(&task_id) else {
                continue;
            };
            let mut heard = vec![department];
            let left = row
                .before
                .as_ref()
                .and_then(|b| b.get("departmentId"))
                .and_then(Value::as_str)
                .and_then(|d| Uuid::parse_str(d).ok());
            if let Some(left) = left
                && left != department
            {
                heard.push(left);
            }
            page.events.push(TaskEvent {
                seq: row.seq,
                kind,
                at: row.at,
                task_id,
                case_id,
                departments: heard,
                light,
            });
        }
        Ok(page)
    }
}
