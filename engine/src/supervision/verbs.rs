//! The supervision verbs: open by hand (立项), assign (承办), chase (督办), answer (反馈),
//! archive (归档). Each writes the item, its event and any mail in one transaction; a step
//! that lost a race with another on the same item is refused with `CONFLICT`.

use super::store::{NewItem, SupervisionMailKind, load, mail, new_item, step};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::follow_up::next_alert;
use crate::mail::outbox;
use crate::store::idempotency::{self, Claim};
use lianban_entity::{SupervisionSource, department, staff, supervision_item};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::supervision::{SupervisionStep, next_status};
use lianban_rules::validate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// Working days a department has to answer, unless the assigner says otherwise.
pub const DEFAULT_REPLY_DAYS: u32 = 5;

/// A supervision item opened by hand.
#[derive(Debug, Clone)]
pub struct OpenSupervision {
    /// The department supervised.
    pub department_id: Uuid,
    /// The case it is about, if any.
    pub case_id: Option<Uuid>,
    /// What is supervised.
    pub title: String,
    /// Why.
    pub detail: String,
    /// The same key from the same person returns the first item.
    pub idempotency_key: Option<String>,
}

fn event(kind: EventKind, item: &supervision_item::Model, actor: &Actor) -> NewEvent {
    let mut e = NewEvent::system(kind).by(actor.staff_id);
    e.case_id = item.case_id;
    e.task_id = item.task_id;
    e
}

impl Engine {
    /// 立项 — a supervisor or leader opens an item for a department.
    ///
    /// # Errors
    /// `FORBIDDEN` for anybody else; `INVALID_INPUT` for an empty or oversized title or detail;
    /// `NOT_FOUND` for an unknown department or case.
    pub async fn open_supervision(
        &self,
        actor: &Actor,
        input: OpenSupervision,
    ) -> Result<crate::views::SupervisionItemView> {
        if !(actor.has(Role::Supervisor) || actor.has(Role::Leader)) {
            return Err(Error::Forbidden(
                "supervision items are opened by supervisors and leaders".to_owned(),
            ));
        }
        let title = validate::required("title", &input.title, validate::MAX_NAME)?;
        let detail = validate::required("detail", &input.detail, validate::MAX_TEXT)?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let id = Uuid::now_v7();
        let (_gate, txn) = self.begin_write().await?;
        let claim = idempotency::claim(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "openSupervision",
            id,
            now,
        );
        if let Claim::Replay(first) = claim.await? {
            let item = load(&txn, first).await?;
            txn.rollback().await?;
            return Ok(crate::views::SupervisionItemView::from(item));
        }
        department::Entity::find_by_id(input.department_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {}", input.department_id)))?;
        if let Some(case_id) = input.case_id {
            lianban_entity::case::Entity::find_by_id(case_id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found(format!("case {case_id}")))?;
        }
        let item = new_item(
            id,
            NewItem {
                department_id: input.department_id,
                case_id: input.case_id,
                task_id: None,
                clock_id: None,
                source: lianban_rules::SupervisionSource::Supervisor,
                title,
                detail,
                opened_by: Some(actor.staff_id),
            },
            now,
        );
        let item = supervision_item::Entity::insert(item)
            .exec_with_returning(&txn)
            .await?;
        events::record(
            &txn,
            now,
            vec![
                event(EventKind::SupervisionOpened, &item, actor).after(json!({
                    "itemId": item.id, "status": "OPENED", "title": item.title
                })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::SupervisionItemView::from(item))
    }

    /// 承办 — names who answers for the department and when the answer is due
    /// (`reply_within_days` working days, default 5). The department's head, a supervisor, a
    /// leader or the centre admin assigns; again to hand it to somebody else.
    ///
    /// # Errors
    /// `FORBIDDEN`, `NOT_FOUND`, `INVALID_INPUT` (an assignee outside the department, a limit
    /// outside 1..=30), `INVALID_STATE`, `CONFLICT`.
    pub async fn assign_supervision(
        &self,
        actor: &Actor,
        id: Uuid,
        assignee_id: Uuid,
        reply_within_days: Option<u32>,
    ) -> Result<crate::views::SupervisionItemView> {
        let days = reply_within_days.unwrap_or(DEFAULT_REPLY_DAYS);
        if !(1..=30).contains(&days) {
            return Err(Error::invalid(
                "replyWithinDays",
                "must be 1 to 30 working days",
            ));
        }
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        let item = load(&txn, id).await?;
        if !(lianban_rules::policy::oversees(actor)
            || (actor.has(Role::DeptHead) && actor.department_id == item.department_id))
        {
            return Err(Error::Forbidden(
                "the department's head or a supervisor assigns a supervision item".to_owned(),
            ));
        }
        let next = next_status(item.status.into(), SupervisionStep::Assign)?;
        let assignee = staff::Entity::find_by_id(assignee_id)
            .one(&txn)
            .await?
            .filter(|s| s.active)
            .ok_or_else(|| Error::not_found(format!("staff member {assignee_id}")))?;
        if assignee.department_id != item.department_id {
            return Err(Error::invalid(
                "assigneeId",
                "the assignee must work in the supervised department",
            ));
        }
        // A rectification keeps the 15 working days it was opened with (SPEC §7).
        let due = match (item.source, item.reply_due_at) {
            (SupervisionSource::BadReview, Some(due)) => due,
            _ => calendar.add_working_seconds(now, i64::from(days) * calendar.day_seconds())?,
        };
        let (alerts, next_alert) = if item.reply_due_at == Some(due) {
            (item.alerts, item.next_alert_at)
        } else {
            (
                0,
                next_alert(&calendar, due, 0, self.ladder().daily_reminder_cap)?,
            )
        };
        let item = step(&txn, &item, next, |q| {
            q.col_expr(
                supervision_item::Column::AssigneeId,
                Expr::value(Some(assignee_id)),
            )
            .col_expr(supervision_item::Column::ReplyDueAt, Expr::value(Some(due)))
            .col_expr(supervision_item::Column::Alerts, Expr::value(alerts))
            .col_expr(
                supervision_item::Column::NextAlertAt,
                Expr::value(next_alert),
            )
        })
        .await?;
        events::record(
            &txn,
            now,
            vec![event(EventKind::SupervisionAssigned, &item, actor).after(json!({
                "itemId": item.id, "status": "ASSIGNED", "assigneeId": assignee_id, "replyDueAt": due
            }))],
        )
        .await?;
        outbox::enqueue(
            &txn,
            now,
            mail(
                &item,
                &assignee,
                SupervisionMailKind::Assigned,
                None,
                Some(due),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::SupervisionItemView::from(item))
    }

    /// 督办 — a supervisor, leader or the centre admin chases the assignee; they and the
    /// department's heads get a mail.
    ///
    /// # Errors
    /// `FORBIDDEN`, `NOT_FOUND`, `INVALID_INPUT` (an empty or oversized note), `INVALID_STATE`.
    pub async fn chase_supervision(
        &self,
        actor: &Actor,
        id: Uuid,
        note: &str,
        idempotency_key: Option<&str>,
    ) -> Result<crate::views::SupervisionItemView> {
        if !lianban_rules::policy::oversees(actor) {
            return Err(Error::Forbidden(
                "supervisors, leaders and the centre admin chase supervision items".to_owned(),
            ));
        }
        let note = validate::required("note", note, validate::MAX_TEXT)?;
        let key = idempotency::check(idempotency_key)?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let item = load(&txn, id).await?;
        let replay = idempotency::seen_before(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "chaseSupervision",
            id,
            now,
        );
        if replay.await? {
            txn.rollback().await?;
            return Ok(crate::views::SupervisionItemView::from(item));
        }
        let next = next_status(item.status.into(), SupervisionStep::Chase)?;
        let item = step(&txn, &item, next, |q| {
            q.col_expr(
                supervision_item::Column::Chases,
                Expr::col(supervision_item::Column::Chases).add(1),
            )
        })
        .await?;
        events::record(
            &txn,
            now,
            vec![
                event(EventKind::SupervisionChased, &item, actor).after(json!({
                    "itemId": item.id, "status": "CHASED", "chases": item.chases, "note": note
                })),
            ],
        )
        .await?;
        let mut people = staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(item.department_id))
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|s| Some(s.id) == item.assignee_id || crate::people::holds(s, Role::DeptHead))
            .collect::<Vec<_>>();
        people.sort_by_key(|s| s.id);
        for person in &people {
            outbox::enqueue(
                &txn,
                now,
                mail(
                    &item,
                    person,
                    SupervisionMailKind::Chased,
                    Some(&note),
                    item.reply_due_at,
                ),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(crate::views::SupervisionItemView::from(item))
    }

    /// 反馈 — the assignee (or the department's head) answers.
    ///
    /// # Errors
    /// `FORBIDDEN`, `NOT_FOUND`, `INVALID_INPUT`, `INVALID_STATE`, `CONFLICT`.
    pub async fn answer_supervision(
        &self,
        actor: &Actor,
        id: Uuid,
        answer: &str,
    ) -> Result<crate::views::SupervisionItemView> {
        let answer = validate::required("answer", answer, validate::MAX_TEXT)?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let item = load(&txn, id).await?;
        if !(item.assignee_id == Some(actor.staff_id)
            || (actor.has(Role::DeptHead) && actor.department_id == item.department_id))
        {
            return Err(Error::Forbidden(
                "the assignee or the department's head answers a supervision item".to_owned(),
            ));
        }
        let next = next_status(item.status.into(), SupervisionStep::Answer)?;
        let late = item.reply_due_at.is_some_and(|due| now > due);
        let item = step(&txn, &item, next, |q| {
            q.col_expr(
                supervision_item::Column::Answer,
                Expr::value(Some(answer.clone())),
            )
            .col_expr(supervision_item::Column::AnsweredAt, Expr::value(Some(now)))
            .col_expr(
                supervision_item::Column::NextAlertAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
        })
        .await?;
        events::record(
            &txn,
            now,
            vec![
                event(EventKind::SupervisionAnswered, &item, actor).after(json!({
                    "itemId": item.id, "status": "ANSWERED", "late": late
                })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::SupervisionItemView::from(item))
    }

    /// 归档 — a supervisor, leader or the centre admin closes an answered item.
    ///
    /// # Errors
    /// `FORBIDDEN`, `NOT_FOUND`, `INVALID_STATE`, `CONFLICT`.
    pub async fn archive_supervision(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::views::SupervisionItemView> {
        if !lianban_rules::policy::oversees(actor) {
            return Err(Error::Forbidden(
                "supervisors, leaders and the centre admin archive supervision items".to_owned(),
            ));
        }
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let item = load(&txn, id).await?;
        let next = next_status(item.status.into(), SupervisionStep::Archive)?;
        let item = step(&txn, &item, next, |q| {
            q.col_expr(supervision_item::Column::ArchivedAt, Expr::value(Some(now)))
        })
        .await?;
        events::record(
            &txn,
            now,
            vec![
                event(EventKind::SupervisionArchived, &item, actor)
                    .after(json!({ "itemId": item.id, "status": "ARCHIVED" })),
            ],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::SupervisionItemView::from(item))
    }
}
