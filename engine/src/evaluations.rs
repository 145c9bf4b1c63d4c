//! 好差评 — the applicant's one evaluation of a case (SPEC §7), given on the window's evaluation
//! device (in the lead window's session) or through the link on the decision notice (with the
//! case's evaluation code, no sign-in). A bad review (不满意, 非常不满意) costs the lead
//! department and window staff member an `UNSATISFIED_RESULT` entry and opens a rectification
//! item (整改): a supervision item due in 15 working days, swept like every other deadline.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::follow_up::next_alert;
use crate::mail::outbox::{self, NewMessage};
use crate::scoring::NewScore;
use crate::supervision::{NewItem, new_item};
use lianban_entity::{case, evaluation, staff, supervision_item};
use lianban_rules::mail::{Mail, RectificationOpened};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::scoring::UNSATISFIED_RESULT;
use lianban_rules::validate;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// Working days a rectification has.
pub const RECTIFICATION_DAYS: i64 = 15;

/// An evaluation as the applicant gives it.
#[derive(Debug, Clone)]
pub struct EvaluateCase {
    /// The case's number (办件编号), as printed on the notices.
    pub case_number: String,
    pub grade: lianban_rules::EvaluationGrade,
    pub channel: lianban_rules::EvaluationChannel,
    /// The evaluation code on the decision notice (the link channel).
    pub code: Option<String>,
    pub comment: Option<String>,
}

impl Engine {
    /// Records the applicant's evaluation of a decided case, once.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` on the device without a session; `FORBIDDEN` on the device of another
    /// window or with a wrong code; `NOT_FOUND`; `INVALID_STATE` before the decision or when the
    /// case was evaluated already; `INVALID_INPUT` for an oversized comment.
    pub async fn evaluate_case(
        &self,
        actor: Option<&Actor>,
        input: EvaluateCase,
    ) -> Result<crate::views::EvaluationView> {
        let number = validate::required("caseNumber", &input.case_number, validate::MAX_SHORT)?;
        let comment = input
            .comment
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| validate::required("comment", c, validate::MAX_TEXT))
            .transpose()?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        let case = case::Entity::find()
            .filter(case::Column::Number.eq(number.as_str()))
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("case {number}")))?;
        // Every writer of a case locks it first: two evaluations of one case queue here.
        let case = crate::cases::lock_case(&txn, case.id).await?;
        let recorded_by = match input.channel {
            lianban_rules::EvaluationChannel::WindowDevice => {
                let actor = actor.ok_or_else(|| {
                    Error::Unauthenticated(
                        "the evaluation device works in the window's session".to_owned(),
                    )
                })?;
                if !(actor.has(Role::Window) && actor.department_id == case.lead_department_id) {
                    return Err(Error::Forbidden(
                        "only the lead window's evaluation device takes this case's evaluation"
                            .to_owned(),
                    ));
                }
                Some(actor.staff_id)
            }
            lianban_rules::EvaluationChannel::Link => {
                let given = input.code.as_deref().map(str::trim).unwrap_or_default();
                if given.is_empty() || case.evaluation_code.as_deref() != Some(given) {
                    return Err(Error::Forbidden(
                        "the evaluation code does not match the one on the decision notice"
                            .to_owned(),
                    ));
                }
                None
            }
        };
        if case.decided_at.is_none() {
            return Err(Error::InvalidState(
                "a case is evaluated once it is decided".to_owned(),
            ));
        }
        if evaluation::Entity::find()
            .filter(evaluation::Column::CaseId.eq(case.id))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(Error::InvalidState(
                "this case was evaluated already".to_owned(),
            ));
        }
        let id = Uuid::now_v7();
        let mut rectification = None;
        let mut events = vec![
            NewEvent::case(EventKind::CaseEvaluated, case.id, recorded_by).after(json!({
                "evaluationId": id, "grade": input.grade, "channel": input.channel,
            })),
        ];
        if input.grade.is_bad() {
            let item_id = Uuid::now_v7();
            let due =
                calendar.add_working_seconds(now, RECTIFICATION_DAYS * calendar.day_seconds())?;
            let mut item = new_item(
                item_id,
                NewItem {
                    department_id: case.lead_department_id,
                    case_id: Some(case.id),
                    task_id: None,
                    clock_id: None,
                    source: lianban_rules::SupervisionSource::BadReview,
                    title: format!("办件{}差评整改", case.number),
                    detail: format!(
                        "申请人评价为“{}”{}，请在15个工作日内整改并反馈。",
                        input.grade.label(),
                        comment
                            .as_deref()
                            .map(|c| format!("：{c}"))
                            .unwrap_or_default()
                    ),
                    opened_by: None,
                },
                now,
            );
            item.reply_due_at = Set(Some(due));
            item.next_alert_at = Set(next_alert(
                &calendar,
                due,
                0,
                self.ladder().daily_reminder_cap,
            )?);
            let item = supervision_item::Entity::insert(item)
                .exec_with_returning(&txn)
                .await?;
            events.push(
                NewEvent::case(EventKind::SupervisionOpened, case.id, None).after(json!({
                    "itemId": item_id, "status": "OPENED", "title": item.title, "source": "BAD_REVIEW",
                    "replyDueAt": due,
                })),
            );
            let heads = staff::Entity::find()
                .filter(staff::Column::DepartmentId.eq(case.lead_department_id))
                .filter(staff::Column::Active.eq(true))
                .all(&txn)
                .await?
                .into_iter()
                .filter(|s| crate::people::holds(s, Role::DeptHead));
            let messages: Vec<NewMessage> = heads
                .map(|head| NewMessage {
                    message_id: format!("rectification-{item_id}-{}", head.id),
                    recipient_id: Some(head.id),
                    recipient_email: head.email,
                    mail: Mail::RectificationOpened(RectificationOpened {
                        case_id: case.id,
                        number: case.number.clone(),
                        title: item.title.clone(),
                        detail: item.detail.clone(),
                        reply_due_at: due,
                    }),
                })
                .collect();
            outbox::enqueue_many(&txn, now, messages).await?;
            rectification = Some(item_id);
        }
        let row = evaluation::ActiveModel {
            id: Set(id),
            case_id: Set(case.id),
            grade: Set(lianban_entity::EvaluationGrade::from(input.grade)),
            channel: Set(lianban_entity::EvaluationChannel::from(input.channel)),
            comment: Set(comment),
            department_id: Set(case.lead_department_id),
            staff_id: Set(case.lead_staff_id),
            recorded_by: Set(recorded_by),
            evaluated_at: Set(now),
            rectification_id: Set(rectification),
        };
        let saved = evaluation::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        if input.grade.is_bad() {
            let mut score = NewScore::new(
                UNSATISFIED_RESULT,
                id,
                EventKind::CaseEvaluated.as_str(),
                case.lead_department_id,
                now,
                format!("办件{}申请人评价为“{}”", case.number, input.grade.label()),
            );
            score.staff_id = Some(case.lead_staff_id);
            score.case_id = Some(case.id);
            score.evaluation_id = Some(id);
            crate::scoring::write(&txn, None, vec![score]).await?;
        }
        events::record(&txn, now, events).await?;
        txn.commit().await?;
        Ok(crate::views::EvaluationView::from(saved))
    }

    /// A case's evaluation, if given.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn evaluation_of(
        &self,
        case_id: Uuid,
    ) -> Result<Option<crate::views::EvaluationView>> {
        Ok(evaluation::Entity::find()
            .filter(evaluation::Column::CaseId.eq(case_id))
            .one(self.db())
            .await?
            .map(Into::into))
    }
}
