//! 收件 — opening a case at the window (status `RECEIVED`).

use crate::cases::accept::{Accepting, CaseRow, Planned};
use crate::cases::numbering::{next_case_number, next_case_number_alone};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::store::batch::Batch;
use crate::store::idempotency::{self, Claim};
use lianban_entity::{CaseStatus, case, matter, staff};
use lianban_rules::cases as lifecycle;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::validate::{self};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};
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
        // On PostgreSQL the number is taken before the opening, in a statement of its own, so
        // that the day's counter row is locked for that statement only and openings run side
        // by side; a number whose opening then fails (a replayed key, a database fault) stays
        // unused: a gap in the day's numbers (docs/readings.md §29). The opening is then
        // planned from what it reads and written as one statement — atomic by itself, so
        // without a transaction around it unless a key is to be claimed or an alert goes with
        // it. SQLite has one writer at a time anyway and does it all inside one transaction.
        let mut opening = Opening {
            id,
            matter: &matter,
            applicant,
            first_responder,
            calendar,
            number: None,
        };
        if self.db().get_database_backend() == sea_orm::DbBackend::Postgres {
            let day = lianban_rules::calendar::local_date(now);
            opening.number = Some(next_case_number_alone(self.db(), day).await?);
            let planned = self.plan_opening(self.db(), actor, opening, now).await?;
            if key.is_none() && planned.batch_only() {
                planned.batch.run(self.db()).await?;
                return Ok(
                    super::verb::opened_view(actor, planned.case)?.with_written(planned.written)
                );
            }
            let (gate, txn) = match self.begin_opening(actor, key.as_deref(), id, now).await? {
                Begun::Go(gate, txn) => (gate, txn),
                Begun::Replay(view) => return Ok(*view),
            };
            let (case, written) = planned.write(self, &txn, now).await?;
            return Ok(super::verb::close_opened(actor, gate, txn, case)
                .await?
                .with_written(written));
        }
        let (gate, txn) = match self.begin_opening(actor, key.as_deref(), id, now).await? {
            Begun::Go(gate, txn) => (gate, txn),
            Begun::Replay(view) => return Ok(*view),
        };
        let (case, written) = self.open_in(&txn, actor, opening, now).await?;
        Ok(super::verb::close_opened(actor, gate, txn, case)
            .await?
            .with_written(written))
    }

    /// Begins an opening's transaction and claims its key: a key seen before answers with the
    /// case its first request opened, and nothing changes.
    async fn begin_opening(
        &self,
        actor: &Actor,
        key: Option<&str>,
        id: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Begun> {
        let (gate, txn) = self.begin_write().await?;
        if let Claim::Replay(first) =
            idempotency::claim(&txn, actor.staff_id, key, "openCase", id, now).await?
        {
            txn.rollback().await?;
            drop(gate);
            return Ok(Begun::Replay(Box::new(self.case_view(actor, first).await?)));
        }
        Ok(Begun::Go(gate, txn))
    }

    /// Opens a case inside the caller's transaction (a booked visit received at the window
    /// opens its case with the booking's update); with a calendar it is accepted at once, and
    /// what acceptance wrote comes back with it.
    pub(crate) async fn open_in(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        actor: &Actor,
        mut opening: Opening<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(case::Model, Option<super::Written>)> {
        if opening.number.is_none() {
            let day = lianban_rules::calendar::local_date(now);
            opening.number = Some(next_case_number(txn, day).await?);
        }
        self.plan_opening(txn, actor, opening, now)
            .await?
            .write(self, txn, now)
            .await
    }

    /// Plans an opening whose number is taken (reading through `db`): the case's row and its
    /// event, and with a calendar its acceptance at once.
    async fn plan_opening<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
        actor: &Actor,
        opening: Opening<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Planned> {
        let Opening {
            id,
            matter,
            applicant,
            first_responder,
            calendar,
            number,
        } = opening;
        let number =
            number.ok_or_else(|| Error::Internal("an opening without its number".into()))?;
        let case = case::Model {
            id,
            number: number.clone(),
            matter_id: matter.id,
            kind: matter.kind,
            status: CaseStatus::Received,
            applicant_name: applicant.name,
            applicant_id_number: applicant.id_number,
            applicant_phone: applicant.phone,
            first_responder_id: first_responder,
            lead_staff_id: actor.staff_id,
            lead_department_id: actor.department_id,
            clock_id: None,
            received_at: now,
            accepted_at: None,
            decided_at: None,
            decision: None,
            decision_reason: None,
            decision_conditions: None,
            version: 0,
            updated_at: now,
            extension_days: None,
            extension_reason: None,
            evaluation_code: Some(evaluation_code()),
            extended_by: None,
            extended_at: None,
            upper_authority: None,
            delivered_at: None,
            delivery_method: None,
            archived_at: None,
            guide_version: matter.guide_version,
            urgent: false,
            urgent_category: None,
            urgent_reason: None,
            urgent_by: None,
            urgent_at: None,
        };
        let opened = vec![
            NewEvent::case(EventKind::CaseOpened, id, Some(actor.staff_id)).after(json!({
                "status": CaseStatus::Received,
                "number": number,
                "matter": matter.code,
                "kind": matter.kind,
                "firstResponderId": first_responder,
            })),
        ];
        // Accepted at the counter: the opening's event goes in with the acceptance's, and the
        // case's row is written once, accepted.
        match calendar {
            Some(calendar) => {
                let acceptance = lifecycle::accept(case.kind.into(), case.status.into())?;
                let accepting = Accepting {
                    matter,
                    acceptance,
                    deemed: false,
                    log: opened,
                    case_row: CaseRow::Insert,
                };
                self.plan_acceptance(db, &calendar, actor, case, accepting, now)
                    .await
            }
            None => {
                let mut batch = Batch::new(db.get_database_backend());
                batch.push(
                    &case::Entity::insert(case::ActiveModel::from(case.clone())).into_query(),
                );
                if let Some(insert) = events::insert(now, opened) {
                    batch.push(&insert);
                }
                Ok(Planned::batch(case, batch))
            }
        }
    }
}

/// An opening's transaction begun with its key claimed, or the answer to a replayed key.
enum Begun {
    Go(crate::engine::WriteGate, sea_orm::DatabaseTransaction),
    Replay(Box<super::CaseView>),
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
