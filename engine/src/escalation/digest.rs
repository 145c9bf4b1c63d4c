//! 晨报 — the leadership morning digest: on working days, every red (overdue) item, grouped by
//! department, one message per leader per day (its id is the day, so a second run or a second
//! worker sends nothing twice).

use crate::engine::Engine;
use crate::error::Result;
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::{
    ClockState, SupervisionLevel, case, clock, department, matter, supervision_item, task,
};
use lianban_rules::mail::{DigestCard, DigestGroup, DigestItem, LeadershipDigest, Mail};
use lianban_rules::roles::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

impl Engine {
    /// Queues today's digest for every leader; nothing on a day off. Returns messages queued.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn leadership_digest(&self, now: DateTime<Utc>) -> Result<u64> {
        let calendar = self.sync_calendar().await?;
        let today = lianban_rules::calendar::local_date(now);
        if !calendar.is_working_day(today) {
            return Ok(0);
        }
        let overdue = clock::Entity::find()
            .filter(clock::Column::State.eq(ClockState::Running))
            .filter(clock::Column::DueAt.lt(now))
            .order_by_asc(clock::Column::DueAt)
            .all(self.db())
            .await?;
        let case_ids: Vec<Uuid> = overdue.iter().map(|c| c.case_id).collect();
        let task_ids: Vec<Uuid> = overdue.iter().filter_map(|c| c.task_id).collect();
        let clock_ids: Vec<Uuid> = overdue.iter().map(|c| c.id).collect();
        let mut cases: HashMap<Uuid, case::Model> = HashMap::new();
        let mut tasks: HashMap<Uuid, task::Model> = HashMap::new();
        let mut levels: HashMap<Uuid, SupervisionLevel> = HashMap::new();
        for chunk in case_ids.chunks(500) {
            cases.extend(
                case::Entity::find()
                    .filter(case::Column::Id.is_in(chunk.to_vec()))
                    .all(self.db())
                    .await?
                    .into_iter()
                    .map(|c| (c.id, c)),
            );
        }
        for chunk in task_ids.chunks(500) {
            tasks.extend(
                task::Entity::find()
                    .filter(task::Column::Id.is_in(chunk.to_vec()))
                    .all(self.db())
                    .await?
                    .into_iter()
                    .map(|t| (t.id, t)),
            );
        }
        for chunk in clock_ids.chunks(500) {
            for item in supervision_item::Entity::find()
                .filter(supervision_item::Column::ClockId.is_in(chunk.to_vec()))
                .all(self.db())
                .await?
            {
                if let Some(clock_id) = item.clock_id {
                    levels.insert(clock_id, item.level);
                }
            }
        }
        let departments: HashMap<Uuid, String> = department::Entity::find()
            .all(self.db())
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        let matters: HashMap<Uuid, String> = matter::Entity::find()
            .all(self.db())
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let mut groups: BTreeMap<String, Vec<DigestItem>> = BTreeMap::new();
        for row in &overdue {
            let Some(case) = cases.get(&row.case_id) else {
                continue;
            };
            let department_id = row
                .task_id
                .and_then(|t| tasks.get(&t))
                .map_or(case.lead_department_id, |t| t.department_id);
            let card = match levels.get(&row.id) {
                Some(SupervisionLevel::RedCard) => DigestCard::RedCard,
                Some(SupervisionLevel::YellowCard) => DigestCard::YellowCard,
                None => DigestCard::RedLight,
            };
            groups
                .entry(departments.get(&department_id).cloned().unwrap_or_default())
                .or_default()
                .push(DigestItem {
                    number: case.number.clone(),
                    matter: matters.get(&case.matter_id).cloned(),
                    due_at: row.due_at,
                    card,
                    task: row.task_id.is_some(),
                });
        }
        let digest = LeadershipDigest {
            date: today,
            total: overdue.len() as u64,
            groups: groups
                .into_iter()
                .map(|(department, items)| DigestGroup { department, items })
                .collect(),
        };
        let leaders = crate::people::holders_of(self.db(), Role::Leader).await?;
        let messages = leaders
            .into_iter()
            .map(|leader| NewMessage {
                message_id: format!("digest-{today}-{}", leader.id),
                recipient_id: Some(leader.id),
                recipient_email: leader.email,
                mail: Mail::LeadershipDigest(digest.clone()),
            })
            .collect();
        let (_gate, txn) = self.begin_write().await?;
        let queued = outbox::enqueue_many(&txn, now, messages).await?;
        txn.commit().await?;
        Ok(queued)
    }
}
