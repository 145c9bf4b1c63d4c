//! 跟踪提醒 — the follow-up clocks of reply deadlines that are not a case's: a supervision item's
//! answer (and a rectification's, which is a supervision item), and a complaint's reply. Each row
//! stores how many alerts it sent and when the next falls (an index on `next_alert_at`), so the
//! sweep reads only what is due. An alert is claimed by moving the row's count from what was read
//! to the new one in the same transaction as its mail and event: two workers never send it twice.

use crate::engine::Engine;
use crate::error::Result;
use crate::escalation::Directory;
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::{SupervisionSource, complaint, supervision_item};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::follow_up::{Alert, due_alert};
use lianban_rules::mail::{FollowUpAlert, FollowUpKind, Mail};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use uuid::Uuid;

pub use lianban_rules::follow_up::next_alert;

/// Rows read per sweep transaction (and the number that was read, and alerts sent).
const BATCH: u64 = 500;

/// What a follow-up sweep sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpOutcome {
    /// Alerts about supervision items (and rectifications).
    pub supervision: u64,
    /// Alerts about complaints.
    pub complaints: u64,
}

/// One alert to write: its subject, recipients and facts.
struct Planned {
    subject: &'static str,
    id: Uuid,
    case_id: Option<Uuid>,
    task_id: Option<Uuid>,
    alert: Alert,
    sent: i32,
    recipients: Vec<Uuid>,
    mail: FollowUpAlert,
}

fn unique(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    ids
}

impl Engine {
    /// Sends every follow-up alert due at `now`, once.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault (the failed batch is rolled back and redone next time).
    pub async fn sweep_follow_ups(&self, now: DateTime<Utc>) -> Result<FollowUpOutcome> {
        let calendar = self.sync_calendar().await?;
        let dir = crate::escalation::load_directory(self.db(), now).await?;
        let mut outcome = FollowUpOutcome::default();
        loop {
            let (read, sent) = self.follow_up_items(&calendar, &dir, now).await?;
            outcome.supervision += sent;
            if read < BATCH {
                break;
            }
        }
        loop {
            let (read, sent) = self.follow_up_complaints(&calendar, &dir, now).await?;
            outcome.complaints += sent;
            if read < BATCH {
                break;
            }
        }
        Ok(outcome)
    }

    async fn follow_up_items(
        &self,
        calendar: &WorkingCalendar,
        dir: &Directory,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64)> {
        let (_gate, txn) = self.begin_write().await?;
        let rows = supervision_item::Entity::find()
            .filter(supervision_item::Column::NextAlertAt.lte(now))
            .order_by_asc(supervision_item::Column::NextAlertAt)
            .limit(BATCH)
            .all(&txn)
            .await?;
        let read = rows.len() as u64;
        let mut sent = 0;
        for item in rows {
            let open = lianban_rules::follow_up::item_awaits_answer(item.status.into());
            let (alert, count, next) = match item.reply_due_at.filter(|_| open) {
                Some(due) => due_alert(
                    calendar,
                    due,
                    item.alerts,
                    self.ladder().daily_reminder_cap,
                    now,
                )?,
                None => (None, item.alerts, None),
            };
            let claimed = supervision_item::Entity::update_many()
                .col_expr(supervision_item::Column::Alerts, Expr::value(count))
                .col_expr(supervision_item::Column::NextAlertAt, Expr::value(next))
                .filter(supervision_item::Column::Id.eq(item.id))
                .filter(supervision_item::Column::Alerts.eq(item.alerts))
                .exec(&txn)
                .await?;
            let Some(alert) = alert.filter(|_| claimed.rows_affected == 1) else {
                continue;
            };
            let heads = dir
                .heads
                .get(&item.department_id)
                .cloned()
                .unwrap_or_default();
            let mut recipients: Vec<Uuid> = item.assignee_id.into_iter().chain(heads).collect();
            if alert.late() {
                match (item.source, item.opened_by) {
                    (SupervisionSource::Supervisor, Some(opener)) => recipients.push(opener),
                    _ => recipients.extend(dir.admins.iter().copied()),
                }
            }
            self.write_alert(
                &txn,
                dir,
                now,
                Planned {
                    subject: "SUPERVISION",
                    id: item.id,
                    case_id: item.case_id,
                    task_id: item.task_id,
                    alert,
                    sent: count,
                    recipients: unique(recipients),
                    mail: FollowUpAlert {
                        kind: if item.source == SupervisionSource::BadReview {
                            FollowUpKind::Rectification
                        } else {
                            FollowUpKind::Supervision
                        },
                        title: item.title.clone(),
                        department: dir.department(item.department_id),
                        reply_due_at: item.reply_due_at,
                        step: alert,
                        case_id: item.case_id,
                    },
                },
            )
            .await?;
            sent += 1;
        }
        txn.commit().await?;
        Ok((read, sent))
    }

    async fn follow_up_complaints(
        &self,
        calendar: &WorkingCalendar,
        dir: &Directory,
        now: DateTime<Utc>,
    ) -> Result<(u64, u64)> {
        let (_gate, txn) = self.begin_write().await?;
        let rows = complaint::Entity::find()
            .filter(complaint::Column::NextAlertAt.lte(now))
            .order_by_asc(complaint::Column::NextAlertAt)
            .limit(BATCH)
            .all(&txn)
            .await?;
        let read = rows.len() as u64;
        let mut sent = 0;
        for c in rows {
            let (alert, count, next) =
                if lianban_rules::follow_up::complaint_awaits_reply(c.status.into()) {
                    due_alert(
                        calendar,
                        c.reply_due_at,
                        c.alerts,
                        self.ladder().daily_reminder_cap,
                        now,
                    )?
                } else {
                    (None, c.alerts, None)
                };
            let claimed = complaint::Entity::update_many()
                .col_expr(complaint::Column::Alerts, Expr::value(count))
                .col_expr(complaint::Column::NextAlertAt, Expr::value(next))
                .filter(complaint::Column::Id.eq(c.id))
                .filter(complaint::Column::Alerts.eq(c.alerts))
                .exec(&txn)
                .await?;
            let Some(alert) = alert.filter(|_| claimed.rows_affected == 1) else {
                continue;
            };
            let mut recipients = dir.heads.get(&c.department_id).cloned().unwrap_or_default();
            if alert.late() {
                recipients.extend(dir.admins.iter().copied());
            }
            self.write_alert(
                &txn,
                dir,
                now,
                Planned {
                    subject: "COMPLAINT",
                    id: c.id,
                    case_id: c.case_id,
                    task_id: None,
                    alert,
                    sent: count,
                    recipients: unique(recipients),
                    mail: FollowUpAlert {
                        kind: FollowUpKind::Complaint,
                        title: c.content.clone(),
                        department: dir.department(c.department_id),
                        reply_due_at: Some(c.reply_due_at),
                        step: alert,
                        case_id: c.case_id,
                    },
                },
            )
            .await?;
            sent += 1;
        }
        txn.commit().await?;
        Ok((read, sent))
    }

    async fn write_alert<C: ConnectionTrait>(
        &self,
        txn: &C,
        dir: &Directory,
        now: DateTime<Utc>,
        plan: Planned,
    ) -> Result<()> {
        let messages = plan
            .recipients
            .iter()
            .filter_map(|id| dir.emails.get(id).map(|email| (*id, email)))
            .map(|(to, email)| NewMessage {
                message_id: format!(
                    "followup-{}-{}-{}-{}",
                    plan.subject.to_lowercase(),
                    plan.id,
                    plan.sent,
                    to
                ),
                recipient_id: Some(to),
                recipient_email: email.clone(),
                mail: Mail::FollowUpAlert(plan.mail.clone()),
            })
            .collect();
        outbox::enqueue_many(txn, now, messages).await?;
        let mut event = NewEvent::system(EventKind::FollowUpAlerted).after(json!({
            "subject": plan.subject, "id": plan.id, "step": plan.alert.key(), "recipients": plan.recipients,
        }));
        event.case_id = plan.case_id;
        event.task_id = plan.task_id;
        events::record(txn, now, vec![event]).await
    }
}
