//! What every change of a case shares: moving its status (and telling its first responder, who
//! hears of every state change — SPEC §6), and issuing a notice to the applicant.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::mail::outbox::{self, NewMessage};
use chrono::{DateTime, Utc};
use lianban_entity::{CaseStatus, case, matter, notice, staff};
use lianban_rules::cases::notices::{NoticeContext, NoticeText};
use lianban_rules::mail::{CaseStatusChanged, Mail, TaskAssigned};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde_json::Value;
use uuid::Uuid;

impl Engine {
    /// Moves a case to `to`, stamps it, and queues a message to its first responder.
    pub(crate) async fn set_status<C: ConnectionTrait>(
        &self,
        txn: &C,
        case: case::Model,
        to: lianban_rules::CaseStatus,
        now: DateTime<Utc>,
    ) -> Result<case::Model> {
        let to = CaseStatus::from(to);
        let from = case.status;
        let mut active = case.into_active_model();
        active.status = Set(to);
        active.updated_at = Set(now);
        let case = active.update(txn).await?;
        if from != to {
            self.tell_first_responder(txn, &case, from, now).await?;
        }
        Ok(case)
    }

    /// Queues the first responder's message about a status change (one per case transaction:
    /// the case's version makes the message id unique).
    async fn tell_first_responder<C: ConnectionTrait>(
        &self,
        txn: &C,
        case: &case::Model,
        from: CaseStatus,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let Some(responder) = staff::Entity::find_by_id(case.first_responder_id)
            .one(txn)
            .await?
        else {
            return Ok(());
        };
        outbox::enqueue(txn, now, status_message(case, from, &responder)).await?;
        Ok(())
    }

    /// Writes a notice for the applicant with its full text.
    pub(crate) async fn issue_notice<C: ConnectionTrait>(
        &self,
        txn: &C,
        case: &case::Model,
        text: NoticeText,
        issued_by: Uuid,
        data: Option<Value>,
        now: DateTime<Utc>,
    ) -> Result<notice::Model> {
        let row = notice_row(case, text, issued_by, data, now);
        notice::Entity::insert(notice::ActiveModel::from(row.clone()))
            .exec_without_returning(txn)
            .await?;
        Ok(row)
    }

    /// The matter's name, for notices.
    pub(crate) async fn matter_of<C: ConnectionTrait>(
        &self,
        txn: &C,
        case: &case::Model,
    ) -> Result<matter::Model> {
        matter::Entity::find_by_id(case.matter_id)
            .one(txn)
            .await?
            .ok_or_else(|| Error::Internal(format!("case {} has no matter", case.id)))
    }
}

/// The first responder's message about a case's move from `from` to its status (one per case
/// transaction: the case's version makes the message id unique).
pub(crate) fn status_message(
    case: &case::Model,
    from: CaseStatus,
    responder: &staff::Model,
) -> NewMessage {
    NewMessage {
        message_id: format!("case-{}-v{}-{:?}", case.id, case.version, case.status),
        recipient_id: Some(responder.id),
        recipient_email: responder.email.clone(),
        mail: Mail::CaseStatusChanged(CaseStatusChanged {
            case_id: case.id,
            number: case.number.clone(),
            from: from.into(),
            to: case.status.into(),
        }),
    }
}

/// A task's new assignee's message.
pub(crate) fn task_message(
    case: &case::Model,
    task_id: Uuid,
    assignee: &staff::Model,
    now: DateTime<Utc>,
) -> NewMessage {
    NewMessage {
        message_id: format!(
            "task-{task_id}-to-{}-{}",
            assignee.id,
            now.timestamp_millis()
        ),
        recipient_id: Some(assignee.id),
        recipient_email: assignee.email.clone(),
        mail: Mail::TaskAssigned(TaskAssigned {
            case_id: case.id,
            number: case.number.clone(),
            task_id,
        }),
    }
}

/// The context every notice of `case` shares.
pub(crate) fn notice_context<'a>(
    engine: &'a Engine,
    case: &'a case::Model,
    matter: &'a matter::Model,
    now: DateTime<Utc>,
) -> NoticeContext<'a> {
    NoticeContext {
        centre: engine.centre_name(),
        number: &case.number,
        matter: &matter.name,
        applicant: &case.applicant_name,
        issued_at: now,
    }
}

/// A notice for the applicant of `case` with its full text, issued by `issued_by` at `now`.
pub(crate) fn notice_row(
    case: &case::Model,
    text: NoticeText,
    issued_by: Uuid,
    data: Option<Value>,
    now: DateTime<Utc>,
) -> notice::Model {
    notice::Model {
        id: Uuid::now_v7(),
        case_id: case.id,
        kind: text.kind.into(),
        title: text.title,
        body: text.body,
        issued_by,
        issued_at: now,
        data,
    }
}
