//! 收件 — opening a case at the window (status `RECEIVED`).

use crate::cases::numbering::{next_case_number, next_case_number_alone};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::store::idempotency::{self, Claim};
use lianban_entity::{CaseStatus, case, matter, staff};
use lianban_rules::cases as lifecycle;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate::{self};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

pub use lianban_rules::cases::opening::{Applicant, check_applicant};

/// What the window sends to open a case.
#[derive(Debug, Clone, Default)]
pub struct OpenCase {
    /// The matter's catalogue code.
    pub matter_code: String,
    /// The applicant.
    pub applicant: Applicant,
    /// 首问责任人 — who first received the applicant, when not the window opening the case.
    pub first_responder_id: Option<Uuid>,
    /// 当场受理 — accept at once, in the same transaction (the materials are complete at the
    /// counter).
    pub accept_now: bool,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

impl Engine {
    /// Opens a case for a matter; the case gets its number and records its first responder.
    ///
    /// # Errors
    /// `FORBIDDEN` for a non-window actor; `INVALID_INPUT` for bad applicant data or key;
    /// `NOT_FOUND` for an unknown matter or first responder; `CONFLICT` for a key used elsewhere;
    /// with `accept_now`, what accepting refuses (a consultation is not accepted).
    pub async fn open_case(&self, actor: &Actor, input: OpenCase) -> Result<super::CaseView> {
        actor.require(Role::Window, "opening a case")?;
        let applicant = check_applicant(&input.applicant)?;
        let code = validate::required("matterCode", &input.matter_code, validate::MAX_SHORT)?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let id = Uuid::now_v7();
        let calendar = if input.accept_now {
            Some(self.sync_calendar().await?)
        } else {
            None
        };

        // What can refuse the opening is checked before its number is taken: the matter, the
        // first responder, whether the matter's cases are accepted at all.
        let matter = matter::Entity::find()
            .filter(matter::Column::Code.eq(code.as_str()))
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("matter `{code}`")))?;
        let first_responder = match input.first_responder_id {
            None => actor.staff_id,
            Some(staff_id) => staff::Entity::find_by_id(staff_id)
                .one(self.db())
                .await?
                .filter(|s| s.active)
                .map(|s| s.id)
                .ok_or_else(|| Error::not_found(format!("staff member {staff_id}")))?,
        };
        if calendar.is_some() {
            lifecycle::accept(matter.kind.into(), CaseStatus::Received.into())?;
        }
        // On PostgreSQL the number is taken before the opening's transaction, in a statement
        // of its own, so that the day's counter row is locked for that statement only and
        // openings run side by side; a number whose opening then fails (a replayed key, a
        // database fault) stays unused: a gap in the day's numbers (docs/readings.md §29).
        // SQLite has one writer at a time anyway and takes it inside.
        let number = if self.db().get_database_backend() == sea_orm::DbBackend::Postgres {
            Some(next_case_number_alone(self.db(), lianban_rules::calendar::local_date(now)).await?)
        } else {
            None
        };
        let (gate, txn) = self.begin_write().await?;
        if let Claim::Replay(first) =
            idempotency::claim(&txn, actor.staff_id, key.as_deref(), "openCase", id, now).await?
        {
            txn.rollback().await?;
            drop(gate);
            return self.case_view(actor, first).await;
        }
        let case = self
            .open_in(
                &txn,
                actor,
                Opening {
                    id,
                    matter: &matter,
                    applicant,
                    first_responder,
                    calendar,
                    number,
                },
                now,
            )
            .await?;
        let (case, written) = case;
        Ok(super::verb::close_opened(actor, gate, txn, case)
            .await?
            .with_written(written))
    }

    /// Opens a case inside the caller's transaction (a booked visit received at the window
    /// opens its case with the booking's update); with a calendar it is accepted at once, and
    /// what acceptance wrote comes back with it.
    pub(crate) async fn open_in(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        actor: &Actor,
        opening: Opening<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(case::Model, Option<super::Written>)> {
        let Opening {
            id,
            matter,
            applicant,
            first_responder,
            calendar,
            number,
        } = opening;
        let number = match number {
            Some(number) => number,
            None => next_case_number(txn, lianban_rules::calendar::local_date(now)).await?,
        };
        let case = case::ActiveModel {
            id: Set(id),
            number: Set(number.clone()),
            matter_id: Set(matter.id),
            kind: Set(matter.kind),
            status: Set(CaseStatus::Received),
            applicant_name: Set(applicant.name),
            applicant_id_number: Set(applicant.id_number),
            applicant_phone: Set(applicant.phone),
            first_responder_id: Set(first_responder),
            lead_staff_id: Set(actor.staff_id),
            lead_department_id: Set(actor.department_id),
            clock_id: Set(None),
            received_at: Set(now),
            accepted_at: Set(None),
            decided_at: Set(None),
            decision: Set(None),
            decision_reason: Set(None),
            decision_conditions: Set(None),
            version: Set(0),
            updated_at: Set(now),
            extension_days: Set(None),
            extension_reason: Set(None),
            evaluation_code: Set(Some(evaluation_code())),
            extended_by: Set(None),
            extended_at: Set(None),
            upper_authority: Set(None),
            delivered_at: Set(None),
            delivery_method: Set(None),
            archived_at: Set(None),
            guide_version: Set(matter.guide_version),
            urgent: Set(false),
            urgent_category: Set(None),
            urgent_reason: Set(None),
            urgent_by: Set(None),
            urgent_at: Set(None),
        }
        .insert(txn)
        .await?;
        let opened = vec![
            NewEvent::case(EventKind::CaseOpened, id, Some(actor.staff_id)).after(json!({
                "status": CaseStatus::Received,
                "number": number,
                "matter": matter.code,
                "kind": matter.kind,
                "firstResponderId": first_responder,
            })),
        ];
        // Accepted at the counter: the opening's event goes in with the acceptance's.
        let case = match calendar {
            Some(calendar) => {
                let acceptance = lifecycle::accept(case.kind.into(), case.status.into())?;
                let accepting = crate::cases::accept::Accepting {
                    matter,
                    acceptance,
                    deemed: false,
                    log: opened,
                };
                let (case, written) = self
                    .accept_in(txn, &calendar, actor, case, accepting, now)
                    .await?;
                (case, Some(written))
            }
            None => {
                events::record(txn, now, opened).await?;
                (case, None)
            }
        };
        Ok(case)
    }
}

/// What opening a case inside a transaction takes.
pub(crate) struct Opening<'a> {
    pub id: Uuid,
    pub matter: &'a matter::Model,
    pub applicant: Applicant,
    /// 首问责任人, checked to be an active staff member.
    pub first_responder: Uuid,
    /// Set to accept at once (当场受理).
    pub calendar: Option<std::sync::Arc<lianban_rules::calendar::WorkingCalendar>>,
    /// The case's number when it was taken before the transaction; `None` takes it inside.
    pub number: Option<String>,
}

/// The code on the decision notice that lets the applicant evaluate the case by link: ten
/// characters of a random UUID, upper case.
fn evaluation_code() -> String {
    Uuid::new_v4().simple().to_string()[..10].to_uppercase()
}
