//! 投诉 — complaints against a staff member, a department or a case (SPEC §7). Filed by the
//! window, the centre admin, supervisors or leaders; replied to by the department within five
//! working days; a late reply records how many working days late it came. The complainant's
//! identity is for the centre admin and supervisors only (`rules::sees_complainant`).

use lianban_rules::complaints as rules;
mod verify;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::follow_up::next_alert;
use crate::mail::outbox::{self, NewMessage};
use crate::scoring::NewScore;
use crate::store::idempotency::{self, Claim};
use lianban_entity::{ComplaintStatus, ComplaintTarget, case, complaint, department, staff};
use lianban_rules::mail::{ComplaintFiled, Mail};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use lianban_rules::scoring::COMPLAINT_LATE_DAY;
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// A complaint as the window takes it down.
#[derive(Debug, Clone)]
pub struct FileComplaint {
    /// What it is against.
    pub target: lianban_rules::ComplaintTarget,
    /// Required against a staff member.
    pub staff_id: Option<Uuid>,
    /// Required against a department.
    pub department_id: Option<Uuid>,
    /// Required against a case; context otherwise.
    pub case_id: Option<Uuid>,
    /// 口头, 电话 or 书面.
    pub channel: lianban_rules::ComplaintChannel,
    /// Who complains.
    pub complainant_name: String,
    /// How to reach them.
    pub complainant_phone: Option<String>,
    /// What they say.
    pub content: String,
    /// The same key from the same person returns the first complaint.
    pub idempotency_key: Option<String>,
}

/// The department that answers for a complaint.
async fn answering_department<C: ConnectionTrait>(db: &C, input: &FileComplaint) -> Result<Uuid> {
    let missing = |field: &str| Error::invalid(field, "is required for this target");
    let case = match input.case_id {
        Some(id) => Some(
            case::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::not_found(format!("case {id}")))?,
        ),
        None => None,
    };
    match input.target {
        lianban_rules::ComplaintTarget::Staff => {
            let id = input.staff_id.ok_or_else(|| missing("staffId"))?;
            Ok(staff::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::not_found(format!("staff member {id}")))?
                .department_id)
        }
        lianban_rules::ComplaintTarget::Department => {
            let id = input.department_id.ok_or_else(|| missing("departmentId"))?;
            department::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| Error::not_found(format!("department {id}")))?;
            Ok(id)
        }
        lianban_rules::ComplaintTarget::Case => {
            Ok(case.ok_or_else(|| missing("caseId"))?.lead_department_id)
        }
    }
}

impl Engine {
    /// 投诉登记 — takes a complaint down; the department's heads hear of it (without the
    /// complainant's identity).
    ///
    /// # Errors
    /// `FORBIDDEN` for reviewers; `INVALID_INPUT` for a missing target, name or content or an
    /// oversized field; `NOT_FOUND` for an unknown staff member, department or case.
    pub async fn file_complaint(
        &self,
        actor: &Actor,
        input: FileComplaint,
    ) -> Result<crate::views::ComplaintView> {
        if ![
            Role::Window,
            Role::CenterAdmin,
            Role::Supervisor,
            Role::Leader,
        ]
        .iter()
        .any(|r| actor.has(*r))
        {
            return Err(Error::Forbidden(
                "complaints are taken down by the window, the centre admin and supervisors"
                    .to_owned(),
            ));
        }
        let name = validate::required(
            "complainantName",
            &input.complainant_name,
            validate::MAX_NAME,
        )?;
        let phone = input
            .complainant_phone
            .as_deref()
            .map(|p| validate::required("complainantPhone", p, validate::MAX_SHORT))
            .transpose()?;
        let content = validate::required("content", &input.content, validate::MAX_TEXT)?;
        let key = idempotency::check(input.idempotency_key.as_deref())?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let due = rules::reply_due(&calendar, now)?;
        let id = Uuid::now_v7();
        let (_gate, txn) = self.begin_write().await?;
        let claim = idempotency::claim(
            &txn,
            actor.staff_id,
            key.as_deref(),
            "fileComplaint",
            id,
            now,
        );
        if let Claim::Replay(first) = claim.await? {
            let first = load(&txn, first).await?;
            txn.rollback().await?;
            return Ok(crate::views::ComplaintView::from(first));
        }
        let department_id = answering_department(&txn, &input).await?;
        let row = complaint::ActiveModel {
            id: Set(id),
            target: Set(lianban_entity::ComplaintTarget::from(input.target)),
            department_id: Set(department_id),
            staff_id: Set(input
                .staff_id
                .filter(|_| input.target == ComplaintTarget::Staff)),
            case_id: Set(input.case_id),
            channel: Set(lianban_entity::ComplaintChannel::from(input.channel)),
            complainant_name: Set(name),
            complainant_phone: Set(phone),
            content: Set(content.clone()),
            filed_by: Set(actor.staff_id),
            filed_at: Set(now),
            reply_due_at: Set(due),
            status: Set(ComplaintStatus::Open),
            reply: Set(None),
            replied_by: Set(None),
            replied_at: Set(None),
            late_working_days: Set(None),
            alerts: Set(0),
            next_alert_at: Set(next_alert(
                &calendar,
                due,
                0,
                self.ladder().daily_reminder_cap,
            )?),
            category: Set(None),
            verified: Set(None),
            verified_by: Set(None),
            verified_at: Set(None),
        };
        let filed = complaint::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        let mut event = NewEvent::system(EventKind::ComplaintFiled).by(actor.staff_id);
        event.case_id = filed.case_id;
        events::record(
            &txn,
            now,
            vec![event.after(json!({
                "complaintId": id, "departmentId": department_id, "replyDueAt": due
            }))],
        )
        .await?;
        let heads = staff::Entity::find()
            .filter(staff::Column::DepartmentId.eq(department_id))
            .filter(staff::Column::Active.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .filter(|s| crate::people::holds(s, Role::DeptHead));
        let messages = heads
            .map(|head| NewMessage {
                message_id: format!("complaint-{id}-filed-{}", head.id),
                recipient_id: Some(head.id),
                recipient_email: head.email,
                mail: Mail::ComplaintFiled(ComplaintFiled {
                    complaint_id: id,
                    case_id: filed.case_id,
                    content: content.clone(),
                    reply_due_at: due,
                }),
            })
            .collect();
        outbox::enqueue_many(&txn, now, messages).await?;
        txn.commit().await?;
        Ok(crate::views::ComplaintView::from(filed))
    }

    /// 投诉答复 — the department's head (or the centre admin or a supervisor) replies; a reply
    /// after the deadline records the working days late.
    ///
    /// # Errors
    /// `FORBIDDEN`, `NOT_FOUND`, `INVALID_INPUT` (empty or oversized reply), `INVALID_STATE` (replied
    /// already).
    pub async fn reply_complaint(
        &self,
        actor: &Actor,
        id: Uuid,
        reply: &str,
    ) -> Result<crate::views::ComplaintView> {
        let reply = validate::required("reply", reply, validate::MAX_TEXT)?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (_gate, txn) = self.begin_write().await?;
        let found = load(&txn, id).await?;
        if !(actor.has(Role::CenterAdmin)
            || (actor.has(Role::DeptHead) && actor.department_id == found.department_id))
        {
            return Err(Error::Forbidden(
                "the department's head (or the centre admin, who handles complaints) replies"
                    .to_owned(),
            ));
        }
        if found.status != ComplaintStatus::Open {
            return Err(Error::InvalidState(
                "this complaint was replied to already".to_owned(),
            ));
        }
        let late = rules::late_working_days(&calendar, found.reply_due_at, now)?;
        let done = complaint::Entity::update_many()
            .col_expr(
                complaint::Column::Status,
                Expr::value(ComplaintStatus::Replied),
            )
            .col_expr(complaint::Column::Reply, Expr::value(Some(reply)))
            .col_expr(
                complaint::Column::RepliedBy,
                Expr::value(Some(actor.staff_id)),
            )
            .col_expr(complaint::Column::RepliedAt, Expr::value(Some(now)))
            .col_expr(complaint::Column::LateWorkingDays, Expr::value(Some(late)))
            .col_expr(
                complaint::Column::NextAlertAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(complaint::Column::Id.eq(id))
            .filter(complaint::Column::Status.eq(ComplaintStatus::Open))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(Error::Conflict(
                "the complaint was replied to meanwhile".to_owned(),
            ));
        }
        let mut event = NewEvent::system(EventKind::ComplaintReplied).by(actor.staff_id);
        event.case_id = found.case_id;
        events::record(
            &txn,
            now,
            vec![event.after(json!({
                "complaintId": id, "departmentId": found.department_id, "lateWorkingDays": late
            }))],
        )
        .await?;
        if late > 0 {
            // 考核: −4 (the rule's points) per working day late, for the department.
            let mut score = NewScore::new(
                COMPLAINT_LATE_DAY,
                id,
                EventKind::ComplaintReplied.as_str(),
                found.department_id,
                now,
                format!("投诉答复逾期{late}个工作日"),
            );
            score.times = late;
            score.case_id = found.case_id;
            score.complaint_id = Some(id);
            crate::scoring::write(&txn, None, vec![score]).await?;
        }
        let replied = load(&txn, id).await?;
        txn.commit().await?;
        Ok(crate::views::ComplaintView::from(replied))
    }

    /// The complaints `actor` may read, newest first: all for the centre admin, leaders and
    /// supervisors; a department head's own department's.
    ///
    /// # Errors
    /// `FORBIDDEN` for anybody else.
    pub async fn complaints(
        &self,
        actor: &Actor,
        status: Option<lianban_rules::ComplaintStatus>,
        page: crate::store::page::PageRequest,
    ) -> Result<crate::store::page::Page<crate::views::ComplaintView>> {
        let mut query = complaint::Entity::find();
        if !actor.reads_everything() {
            if !actor.has(Role::DeptHead) {
                return Err(Error::Forbidden(
                    "complaints are read by leaders, the centre admin, supervisors and department heads".to_owned(),
                ));
            }
            query = query.filter(complaint::Column::DepartmentId.eq(actor.department_id));
        }
        if let Some(status) = status {
            query = query.filter(
                complaint::Column::Status.eq(lianban_entity::ComplaintStatus::from(status)),
            );
        }
        (crate::store::page::fetch(self.db(), query, complaint::Column::Id, true, page).await)
            .map(|p| p.map(Into::into))
    }
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<complaint::Model> {
    complaint::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found(format!("complaint {id}")))
}
