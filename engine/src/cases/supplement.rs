//! 一次性告知 — the one-time supplement notice. Before acceptance the window lists what is
//! missing (within five working days of receipt, 行政许可法 §32); after acceptance the lead
//! merges its own items and every department's NEEDS_SUPPLEMENT items into one notice, each item
//! naming who asked, and the case and every open task clock stop until the material arrives.
//! A second request is allowed only with the reason its items depend on the first answer.

use crate::cases::ensure_no_pending_report;
use crate::cases::status::notice_context;
use crate::cases::verb::{self, Verb, open_verb};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use lianban_entity::{
    CaseStatus, NoticeKind, OpinionKind, SuspensionKind, TaskStatus, case, department, notice,
    opinion, suspension, task,
};
use lianban_rules::cases::notices;
use lianban_rules::cases::{self as lifecycle, Action, SupplementRequest, merge_supplement_items};
use lianban_rules::policy::{self, Actor};
use lianban_rules::validate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// What the lead window sends.
#[derive(Debug, Clone, Default)]
pub struct IssueSupplement {
    /// The case.
    pub case_id: Uuid,
    /// The window's own missing items.
    pub window_items: Vec<String>,
    /// The materials of the case's service guide version that are missing, by their number
    /// there (1-based): quoted by the guide's names.
    pub guide_items: Vec<i32>,
    /// For a second request: why its items depend on the first answer.
    pub reason: Option<String>,
    /// Same key, same result.
    pub idempotency_key: Option<String>,
}

/// Who the window is, on a supplement notice.
const WINDOW: &str = "受理窗口";

impl Engine {
    /// Issues the one-time supplement notice.
    ///
    /// # Errors
    /// `INVALID_INPUT` with nothing to ask or a second request without a reason; `FORBIDDEN`
    /// unless the lead window; `INVALID_STATE` when the case cannot wait for material now, or
    /// more than five working days have passed since receipt before acceptance.
    pub async fn issue_supplement_notice(
        &self,
        actor: &Actor,
        input: IssueSupplement,
    ) -> Result<crate::cases::CaseView> {
        let window_items = validate::list("windowItems", &input.window_items, validate::MAX_TEXT)?;
        let reason = validate::optional("reason", input.reason.as_deref(), validate::MAX_TEXT)?;
        let calendar = self.sync_calendar().await?;
        let Verb {
            gate,
            txn,
            case,
            now,
        } = open_verb!(self.open_verb(
            actor,
            input.case_id,
            "issueSupplementNotice",
            input.idempotency_key.as_deref(),
            |_, scope| { policy::require_lead_window(actor, scope, "ask for material") }
        ));
        ensure_no_pending_report(&txn, case.id).await?;
        let before_acceptance = case.status == CaseStatus::Received;
        let to = if before_acceptance {
            let to = lifecycle::transition(
                case.kind.into(),
                case.status.into(),
                Action::RequestSupplementBeforeAcceptance,
            )?;
            if now > calendar.add_working_days(case.received_at, 5)? {
                return Err(Error::InvalidState(
                    "more than five working days since receipt: the case counts as accepted on the day it was received (行政许可法 §32); accept it and ask for the material during review".to_owned(),
                ));
            }
            to
        } else {
            lifecycle::transition(case.kind.into(), case.status.into(), Action::Suspend)?
        };
        let earlier = notice::Entity::find()
            .filter(notice::Column::CaseId.eq(case.id))
            .filter(notice::Column::Kind.eq(NoticeKind::Supplement))
            .count(&txn)
            .await?;
        if earlier > 0 && reason.is_none() {
            return Err(Error::invalid(
                "reason",
                "a second supplement request must say why its items depend on the applicant's first answer",
            ));
        }

        let guide = match case.guide_version {
            Some(v) => self.guide_version(case.matter_id, v).await?,
            None => None,
        };
        let materials = guide
            .as_ref()
            .map(|g| g.materials.clone())
            .unwrap_or_default();
        if guide.is_none() && !input.guide_items.is_empty() {
            return Err(Error::invalid(
                "guideItems",
                "this case was received under no service guide",
            ));
        }
        if input.guide_items.len() > validate::MAX_LIST {
            return Err(Error::invalid(
                "guideItems",
                format!("at most {} items", validate::MAX_LIST),
            ));
        }
        let mut own = lianban_rules::guides::picked(&materials, &input.guide_items)?;
        own.extend(window_items);
        let mut reconsidered = Vec::new();
        let mut requests = vec![SupplementRequest {
            asked_by: WINDOW.to_owned(),
            items: own,
        }];
        if !before_acceptance {
            requests.extend(self.department_requests(&txn, case.id, None).await?);
        }
        let items = merge_supplement_items(&requests);
        if items.is_empty() {
            return Err(Error::invalid(
                "windowItems",
                "there is nothing to ask for: list the missing items",
            ));
        }

        if !before_acceptance {
            for clock_id in self
                .case_clocks(&txn, &case, lianban_entity::ClockState::Running)
                .await?
            {
                self.pause_clock(&txn, clock_id, now, "补正材料").await?;
            }
            reconsidered = self.reconsider_objections(&txn, &case, now).await?;
            suspension::ActiveModel {
                id: Set(Uuid::now_v7()),
                case_id: Set(case.id),
                kind: Set(SuspensionKind::Supplement),
                previous_status: Set(case.status),
                reason: Set("一次性告知补正材料".to_owned()),
                legal_basis: Set(Some("《中华人民共和国行政许可法》第三十二条".to_owned())),
                expected_days: Set(None),
                started_at: Set(now),
                started_by: Set(actor.staff_id),
                ended_at: Set(None),
                ended_by: Set(None),
            }
            .insert(&txn)
            .await?;
        }
        let before = case.status;
        let case = self.set_status(&txn, case, to, now).await?;
        let matter = self.matter_of(&txn, &case).await?;
        let text = notices::supplement(
            &notice_context(self, &case, &matter, now),
            &items,
            reason.as_deref(),
            guide.as_ref().map(|g| notices::GuideQuote {
                version: g.version,
                materials: &materials,
            }),
        );
        let data = json!({ "items": items, "secondRequestReason": reason, "guideVersion": case.guide_version });
        let notice = self
            .issue_notice(&txn, &case, text, actor.staff_id, Some(data), now)
            .await?;
        let mut log = vec![
            NewEvent::case(
                EventKind::SupplementRequested,
                case.id,
                Some(actor.staff_id),
            )
            .before(json!({ "status": before }))
            .after(json!({ "status": to, "items": items, "secondRequestReason": reason })),
            NewEvent::case(EventKind::NoticeIssued, case.id, Some(actor.staff_id))
                .after(json!({ "noticeId": notice.id, "kind": NoticeKind::Supplement })),
        ];
        log.extend(reconsidered);
        events::record(&txn, now, log).await?;
        verb::close(actor, gate, txn, case).await
    }

    /// The lead's third choice on a REJECT (SPEC §3): asking for material instead of deciding.
    /// Every task whose current opinion is a REJECT waits for the material too, and its
    /// department reviews again when it arrives; the time in between is not counted against it.
    async fn reconsider_objections(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        case: &case::Model,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<NewEvent>> {
        let resolved = task::Entity::find()
            .filter(task::Column::CaseId.eq(case.id))
            .filter(task::Column::Status.eq(TaskStatus::Resolved))
            .all(txn)
            .await?;
        let opinion_ids: Vec<Uuid> = resolved.iter().filter_map(|t| t.opinion_id).collect();
        let rejecting: std::collections::HashSet<Uuid> = opinion::Entity::find()
            .filter(opinion::Column::Id.is_in(opinion_ids))
            .filter(opinion::Column::Kind.eq(OpinionKind::Reject))
            .all(txn)
            .await?
            .into_iter()
            .map(|o| o.task_id)
            .collect();
        let mut log = Vec::new();
        for t in resolved.iter().filter(|t| rejecting.contains(&t.id)) {
            self.reopen_clock(txn, t.clock_id, now).await?;
            task::Entity::update_many()
                .col_expr(
                    task::Column::Status,
                    Expr::value(TaskStatus::AwaitingSupplement),
                )
                .col_expr(
                    task::Column::ResolvedAt,
                    Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
                )
                .filter(task::Column::Id.eq(t.id))
                .exec(txn)
                .await?;
            log.push(
                NewEvent::case(EventKind::TaskAwaitingSupplement, case.id, None)
                    .task(t.id)
                    .before(json!({ "status": TaskStatus::Resolved }))
                    .after(json!({ "status": TaskStatus::AwaitingSupplement, "reconsiderObjection": true })),
            );
        }
        Ok(log)
    }

    /// Every department's NEEDS_SUPPLEMENT items on the case, by department.
    pub(super) async fn department_requests<C: sea_orm::ConnectionTrait>(
        &self,
        txn: &C,
        case_id: Uuid,
        only: Option<Uuid>,
    ) -> Result<Vec<SupplementRequest>> {
        let mut waiting = task::Entity::find().filter(task::Column::CaseId.eq(case_id));
        if let Some(department) = only {
            waiting = waiting.filter(task::Column::DepartmentId.eq(department));
        }
        let waiting = waiting
            .filter(task::Column::Status.eq(TaskStatus::AwaitingSupplement))
            .order_by_asc(task::Column::Id)
            .all(txn)
            .await?;
        let mut requests = Vec::new();
        for t in waiting {
            let Some(opinion_id) = t.opinion_id else {
                continue;
            };
            let Some(op) = opinion::Entity::find_by_id(opinion_id).one(txn).await? else {
                continue;
            };
            let name = department::Entity::find_by_id(t.department_id)
                .one(txn)
                .await?
                .map(|d| d.name)
                .unwrap_or_default();
            let items: Vec<String> = serde_json::from_value(op.missing_items)
                .map_err(|e| Error::Internal(format!("opinion {opinion_id} items: {e}")))?;
            requests.push(SupplementRequest {
                asked_by: name,
                items,
            });
        }
        Ok(requests)
    }
}
