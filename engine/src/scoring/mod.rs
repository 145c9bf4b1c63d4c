//! 考核 — scoring (SPEC §7). The rule table (editable by the centre admin, SPEC §7's defaults
//! seeded by the migration); score entries written in the same transaction as the event that
//! causes them (an overdue clock, a deemed consent, a late complaint reply, a verified complaint,
//! a bad review), each pointing at its cause; manual entries (a written thanks) with a reason;
//! and the monthly and yearly reports (`report`).

mod entries;
pub mod report;

pub(crate) use entries::{NewScore, points, write};
pub use report::{DepartmentScore, RuleCount, ScoreReport, StaffScore};

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::store::idempotency::{self, Claim};
use chrono::{DateTime, Utc};
use lianban_entity::{department, score_entry, scoring_rule, staff};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

/// The most points one rule may give or take.
pub const MAX_RULE_POINTS: i32 = 100;

/// A manual score entry.
#[derive(Debug, Clone)]
pub struct RecordScore {
    /// The department scored.
    pub department_id: Uuid,
    /// The staff member, when it is about one.
    pub staff_id: Option<Uuid>,
    /// The rule (e.g. `WRITTEN_THANKS`).
    pub rule_code: String,
    /// Why (required).
    pub reason: String,
    /// The same key from the same person returns the first entry.
    pub idempotency_key: Option<String>,
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct ScoreFilter {
    /// Only this department's.
    pub department_id: Option<Uuid>,
    /// Only this staff member's.
    pub staff_id: Option<Uuid>,
    /// From this instant on.
    pub from: Option<DateTime<Utc>>,
    /// Before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// Who reads a department's scores: everybody who reads everything, and the department's own
/// staff.
pub(crate) fn may_read_scores(actor: &Actor, department_id: Uuid) -> bool {
    actor.reads_everything() || actor.department_id == department_id
}

impl Engine {
    /// The rule table, by code.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn scoring_rules(&self) -> Result<Vec<crate::views::ScoringRuleView>> {
        Ok(scoring_rule::Entity::find()
            .order_by_asc(scoring_rule::Column::Code)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Changes a rule's points; entries already written keep the points they were given.
    ///
    /// # Errors
    /// `FORBIDDEN` unless centre admin; `NOT_FOUND` for an unknown rule; `INVALID_INPUT` for
    /// points outside ±100.
    pub async fn set_scoring_rule(
        &self,
        actor: &Actor,
        code: &str,
        points: i32,
    ) -> Result<crate::views::ScoringRuleView> {
        actor.require(Role::CenterAdmin, "change a scoring rule")?;
        if points.unsigned_abs() > MAX_RULE_POINTS.unsigned_abs() {
            return Err(Error::invalid("points", "must be between -100 and 100"));
        }
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let rule = scoring_rule::Entity::find_by_id(code.to_owned())
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("scoring rule `{code}`")))?;
        scoring_rule::Entity::update_many()
            .col_expr(scoring_rule::Column::Points, Expr::value(points))
            .col_expr(scoring_rule::Column::UpdatedAt, Expr::value(Some(now)))
            .col_expr(
                scoring_rule::Column::UpdatedBy,
                Expr::value(Some(actor.staff_id)),
            )
            .filter(scoring_rule::Column::Code.eq(code))
            .exec(&txn)
            .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::ScoringRuleChanged)
                    .by(actor.staff_id)
                    .before(json!({ "code": code, "points": rule.points }))
                    .after(json!({ "code": code, "points": points })),
            ],
        )
        .await?;
        let changed = scoring_rule::Entity::find_by_id(code.to_owned())
            .one(&txn)
            .await?
            .ok_or_else(|| Error::Internal(format!("rule {code} vanished")))?;
        txn.commit().await?;
        Ok(crate::views::ScoringRuleView::from(changed))
    }

    /// A manual entry (a written thanks, a matter made immediate before the catalogue records
    /// it): the rule's points, with the reason.
    ///
    /// # Errors
    /// `FORBIDDEN` unless centre admin; `INVALID_INPUT` for an empty reason or a staff member of
    /// another department; `NOT_FOUND` for an unknown rule, department or staff member.
    pub async fn record_score(
        &self,
        actor: &Actor,
        input: RecordScore,
    ) -> Result<crate::views::ScoreEntryView> {
        actor.require(Role::CenterAdmin, "record a score entry")?;
        let reason = validate::required("reason", &input.reason, validate::MAX_TEXT)?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let id = Uuid::now_v7();
        let (_gate, txn) = self.begin_write().await?;
        let claim =
            idempotency::claim(&txn, actor.staff_id, key.as_deref(), "recordScore", id, now);
        if let Claim::Replay(first) = claim.await? {
            let first = score_entry::Entity::find_by_id(first)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found(format!("score entry {first}")))?;
            txn.rollback().await?;
            return Ok(crate::views::ScoreEntryView::from(first));
        }
        let rule = scoring_rule::Entity::find_by_id(input.rule_code.clone())
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("scoring rule `{}`", input.rule_code)))?;
        department::Entity::find_by_id(input.department_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {}", input.department_id)))?;
        if let Some(staff_id) = input.staff_id {
            let person = staff::Entity::find_by_id(staff_id)
                .one(&txn)
                .await?
                .ok_or_else(|| Error::not_found(format!("staff member {staff_id}")))?;
            if person.department_id != input.department_id {
                return Err(Error::invalid(
                    "staffId",
                    "the staff member works in another department",
                ));
            }
        }
        let row = score_entry::ActiveModel {
            id: sea_orm::ActiveValue::Set(id),
            cause_key: sea_orm::ActiveValue::Set(format!("MANUAL:{id}")),
            rule_code: sea_orm::ActiveValue::Set(rule.code.clone()),
            points: sea_orm::ActiveValue::Set(rule.points),
            department_id: sea_orm::ActiveValue::Set(input.department_id),
            staff_id: sea_orm::ActiveValue::Set(input.staff_id),
            cause_kind: sea_orm::ActiveValue::Set("MANUAL".to_owned()),
            case_id: sea_orm::ActiveValue::Set(None),
            task_id: sea_orm::ActiveValue::Set(None),
            complaint_id: sea_orm::ActiveValue::Set(None),
            evaluation_id: sea_orm::ActiveValue::Set(None),
            reason: sea_orm::ActiveValue::Set(reason.clone()),
            recorded_by: sea_orm::ActiveValue::Set(Some(actor.staff_id)),
            occurred_at: sea_orm::ActiveValue::Set(now),
        };
        let entry = score_entry::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        events::record(
            &txn,
            now,
            vec![NewEvent::system(EventKind::ScoreRecorded).by(actor.staff_id).after(json!({
                "entryId": id, "rule": rule.code, "points": rule.points,
                "departmentId": input.department_id, "staffId": input.staff_id, "reason": reason,
            }))],
        )
        .await?;
        txn.commit().await?;
        Ok(crate::views::ScoreEntryView::from(entry))
    }

    /// Score entries, newest first (at most 500): every department's for those who read
    /// everything, a department's own for its staff.
    ///
    /// # Errors
    /// `FORBIDDEN` when asking for another department's (or everybody's) without the right.
    pub async fn score_entries(
        &self,
        actor: &Actor,
        filter: &ScoreFilter,
        page: crate::store::page::PageRequest,
    ) -> Result<crate::store::page::Page<crate::views::ScoreEntryView>> {
        let department_id = match filter.department_id {
            Some(d) => Some(d),
            None if actor.reads_everything() => None,
            None => Some(actor.department_id),
        };
        if let Some(d) = department_id
            && !may_read_scores(actor, d)
        {
            return Err(Error::Forbidden("another department's scores".to_owned()));
        }
        let mut query = score_entry::Entity::find();
        if let Some(d) = department_id {
            query = query.filter(score_entry::Column::DepartmentId.eq(d));
        }
        if let Some(s) = filter.staff_id {
            query = query.filter(score_entry::Column::StaffId.eq(s));
        }
        if let Some(from) = filter.from {
            query = query.filter(score_entry::Column::OccurredAt.gte(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(score_entry::Column::OccurredAt.lt(to));
        }
        (crate::store::page::fetch(self.db(), query, score_entry::Column::Id, true, page).await)
            .map(|p| p.map(Into::into))
    }
}
