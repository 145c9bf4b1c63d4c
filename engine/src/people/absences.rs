//! 离岗 — recording an absence, and moving open tasks while holders are away: to the first
//! available holder of the post, acting for the away one, and back when they return. Deadlines
//! never reset. [`Engine::switch_absences`] is idempotent; the absence switcher job runs it, and
//! recording an absence that has begun runs it at once.

use crate::cases::status::task_message;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, NewMessage};
use crate::store::idempotency::{self, Claim};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{TaskStatus, absence, case, department, post, post_b_holder, staff, task};
use lianban_rules::mail::{DepartmentUnstaffed, Mail};
use lianban_rules::people::{self, Assignment};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What the window or a department head records.
#[derive(Debug, Clone)]
pub struct RecordAbsence {
    /// Who is away.
    pub staff_id: Uuid,
    /// From.
    pub starts_at: DateTime<Utc>,
    /// Until (exclusive).
    pub ends_at: DateTime<Utc>,
    /// Why (请假, 出差, 培训, …).
    pub reason: String,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

/// What one run of the switcher did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SwitchOutcome {
    /// Tasks moved to a stand-in.
    pub moved: u64,
    /// Tasks handed back to their returning holder.
    pub returned: u64,
    /// Tasks whose post had nobody available.
    pub unstaffed: u64,
}

/// The staff away at `at`: on a recorded absence, or deactivated (away for good).
pub(crate) async fn away_at<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
) -> Result<HashSet<Uuid>> {
    let mut away: HashSet<Uuid> = absence::Entity::find()
        .filter(absence::Column::StartsAt.lte(at))
        .filter(absence::Column::EndsAt.gt(at))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.staff_id)
        .collect();
    away.extend(
        staff::Entity::find()
            .filter(staff::Column::Active.eq(false))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.id),
    );
    Ok(away)
}

/// The holders of each post, A first then the B holders in order.
pub(crate) async fn chains<C: ConnectionTrait>(
    db: &C,
    post_ids: &[Uuid],
) -> Result<HashMap<Uuid, (Uuid, Vec<Uuid>)>> {
    let posts = post::Entity::find()
        .filter(post::Column::Id.is_in(post_ids.iter().copied()))
        .all(db)
        .await?;
    let bs = post_b_holder::Entity::find()
        .filter(post_b_holder::Column::PostId.is_in(post_ids.iter().copied()))
        .order_by_asc(post_b_holder::Column::Position)
        .all(db)
        .await?;
    Ok(posts
        .into_iter()
        .map(|p| {
            let mut chain = vec![p.a_holder_id];
            chain.extend(bs.iter().filter(|b| b.post_id == p.id).map(|b| b.staff_id));
            (p.id, (p.department_id, chain))
        })
        .collect())
}

impl Engine {
    /// Records an absence; when it has begun, the person's open tasks move at once.
    ///
    /// # Errors
    /// `FORBIDDEN` unless the person themself, their department head or a centre admin;
    /// `INVALID_INPUT` for a bad period or reason; `CONFLICT` when it overlaps a recorded one.
    pub async fn record_absence(
        &self,
        actor: &Actor,
        input: RecordAbsence,
    ) -> Result<crate::views::AbsenceView> {
        let reason = validate::required("reason", &input.reason, validate::MAX_NAME)?;
        if input.ends_at <= input.starts_at {
            return Err(Error::invalid("endsAt", "must be after startsAt"));
        }
        if input.ends_at - input.starts_at > Duration::days(366) {
            return Err(Error::invalid("endsAt", "an absence lasts at most a year"));
        }
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let id = Uuid::now_v7();
        let (_gate, txn) = self.begin_write().await?;
        if let Claim::Replay(first) = idempotency::claim(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "recordAbsence",
            id,
            now,
        )
        .await?
        {
            txn.rollback().await?;
            return absence::Entity::find_by_id(first)
                .one(self.db())
                .await?
                .map(Into::into)
                .ok_or_else(|| Error::not_found(format!("absence {first}")));
        }
        let person = staff::Entity::find_by_id(input.staff_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("staff member {}", input.staff_id)))?;
        let allowed = actor.staff_id == person.id
            || actor.has(Role::CenterAdmin)
            || (actor.has(Role::DeptHead) && actor.department_id == person.department_id);
        if !allowed {
            return Err(Error::Forbidden(
                "only the person, their department head or a centre admin records an absence"
                    .into(),
            ));
        }
        let overlapping = absence::Entity::find()
            .filter(absence::Column::StaffId.eq(person.id))
            .filter(absence::Column::StartsAt.lt(input.ends_at))
            .filter(absence::Column::EndsAt.gt(input.starts_at))
            .one(&txn)
            .await?;
        if overlapping.is_some() {
            return Err(Error::Conflict(
                "this absence overlaps one already recorded".into(),
            ));
        }
        let row = absence::ActiveModel {
            id: Set(id),
            staff_id: Set(person.id),
            starts_at: Set(input.starts_at),
            ends_at: Set(input.ends_at),
            reason: Set(reason.clone()),
            recorded_by: Set(actor.staff_id),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::AbsenceRecorded)
                    .by(actor.staff_id)
                    .after(json!({
                        "staffId": person.id,
                        "startsAt": input.starts_at,
                        "endsAt": input.ends_at,
                        "reason": reason,
                    })),
            ],
        )
        .await?;
        if input.starts_at <= now {
            self.switch_absences_in(&txn, now).await?;
        }
        txn.commit().await?;
        Ok(crate::views::AbsenceView::from(row))
    }

    /// Moves every open task whose holder is away to a stand-in, and hands tasks back to holders
    /// who have returned. Idempotent.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn switch_absences(&self, now: DateTime<Utc>) -> Result<SwitchOutcome> {
        let (_gate, txn) = self.begin_write().await?;
        let outcome = self.switch_absences_in(&txn, now).await?;
        txn.commit().await?;
        Ok(outcome)
    }

    pub(crate) async fn switch_absences_in<C: ConnectionTrait>(
        &self,
        txn: &C,
        now: DateTime<Utc>,
    ) -> Result<SwitchOutcome> {
        let away = away_at(txn, now).await?;
        let mut candidates = Condition::any().add(task::Column::ActingForId.is_not_null());
        if !away.is_empty() {
            candidates = candidates.add(task::Column::AssigneeId.is_in(away.iter().copied()));
        }
        let tasks = task::Entity::find()
            .filter(task::Column::Status.is_in([TaskStatus::Open, TaskStatus::AwaitingSupplement]))
            .filter(candidates)
            .all(txn)
            .await?;
        let post_ids: Vec<Uuid> = tasks.iter().map(|t| t.post_id).collect();
        let chains = chains(txn, &post_ids).await?;
        let mut outcome = SwitchOutcome::default();
        for t in tasks {
            let owner = t.acting_for_id.unwrap_or(t.assignee_id);
            let chain = chains
                .get(&t.post_id)
                .map(|(_, c)| c.as_slice())
                .unwrap_or(&[]);
            let target = people::assign(owner, chain, &away);
            if target.nobody_available {
                outcome.unstaffed += 1;
                self.alert_unstaffed(txn, t.department_id, now).await?;
            }
            if (target.assignee, target.acting_for) == (t.assignee_id, t.acting_for_id) {
                continue;
            }
            if target.acting_for.is_some() {
                outcome.moved += 1;
            } else {
                outcome.returned += 1;
            }
            self.reassign(txn, &t, target, now, None, "absence").await?;
        }
        Ok(outcome)
    }

    /// Gives a task a new assignee, writes the event, and tells the new assignee.
    pub(crate) async fn reassign<C: ConnectionTrait>(
        &self,
        txn: &C,
        t: &task::Model,
        target: Assignment,
        now: DateTime<Utc>,
        actor: Option<Uuid>,
        why: &str,
    ) -> Result<()> {
        task::Entity::update_many()
            .col_expr(task::Column::AssigneeId, Expr::value(target.assignee))
            .col_expr(task::Column::ActingForId, Expr::value(target.acting_for))
            .filter(task::Column::Id.eq(t.id))
            .exec(txn)
            .await?;
        events::record(
            txn,
            now,
            vec![NewEvent::case(EventKind::TaskReassigned, t.case_id, actor)
                .task(t.id)
                .before(json!({ "assigneeId": t.assignee_id, "actingForId": t.acting_for_id }))
                .after(json!({ "assigneeId": target.assignee, "actingForId": target.acting_for, "why": why }))],
        )
        .await?;
        self.tell_assignee(txn, t.case_id, t.id, target.assignee, now)
            .await
    }

    /// Queues a message to a task's new assignee.
    pub(crate) async fn tell_assignee<C: ConnectionTrait>(
        &self,
        txn: &C,
        case_id: Uuid,
        task_id: Uuid,
        assignee: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (Some(person), Some(case)) = (
            staff::Entity::find_by_id(assignee).one(txn).await?,
            case::Entity::find_by_id(case_id).one(txn).await?,
        ) else {
            return Ok(());
        };
        outbox::enqueue(txn, now, task_message(&case, task_id, &person, now)).await?;
        Ok(())
    }

    /// Tells the centre admins, once a day per department, that nobody can work its tasks.
    pub(crate) async fn alert_unstaffed<C: ConnectionTrait>(
        &self,
        txn: &C,
        department_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let day = lianban_rules::calendar::local_date(now);
        let name = department::Entity::find_by_id(department_id)
            .one(txn)
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        let admins = crate::people::holders_of(txn, Role::CenterAdmin).await?;
        let mut first = false;
        for admin in admins {
            first |= outbox::enqueue(
                txn,
                now,
                NewMessage {
                    message_id: format!("unstaffed-{department_id}-{day}-{}", admin.id),
                    recipient_id: Some(admin.id),
                    recipient_email: admin.email,
                    mail: Mail::DepartmentUnstaffed(DepartmentUnstaffed {
                        department_id,
                        department: name.clone(),
                        day,
                    }),
                },
            )
            .await?;
        }
        if first {
            events::record(
                txn,
                now,
                vec![
                    NewEvent::system(EventKind::DepartmentUnstaffed)
                        .after(json!({ "departmentId": department_id, "department": name })),
                ],
            )
            .await?;
        }
        Ok(())
    }
}
