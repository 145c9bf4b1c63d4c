//! 投诉核实 — the centre admin or a supervisor examines a complaint and finds it verified (about
//! attitude, about the result, or something else) or not upheld. A verified complaint about
//! attitude or the result is scored against the department (and the staff member it names).

use super::load;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::scoring::NewScore;
use lianban_entity::complaint;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

impl Engine {
    /// 核实 — records the centre's finding on a complaint, once.
    ///
    /// # Errors
    /// `FORBIDDEN` unless centre admin or supervisor; `NOT_FOUND`; `INVALID_STATE` when it was
    /// examined already; `CONFLICT` when another finding came first.
    pub async fn verify_complaint(
        &self,
        actor: &Actor,
        id: Uuid,
        verified: bool,
        category: lianban_rules::ComplaintCategory,
    ) -> Result<crate::views::ComplaintView> {
        if !(actor.has(Role::CenterAdmin) || actor.has(Role::Supervisor)) {
            return Err(Error::Forbidden(
                "complaints are verified by the centre admin and supervisors".to_owned(),
            ));
        }
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let found = load(&txn, id).await?;
        if found.verified.is_some() {
            return Err(Error::InvalidState(
                "this complaint was examined already".to_owned(),
            ));
        }
        let done = complaint::Entity::update_many()
            .col_expr(complaint::Column::Verified, Expr::value(Some(verified)))
            .col_expr(
                complaint::Column::Category,
                Expr::value(Some(lianban_entity::ComplaintCategory::from(category))),
            )
            .col_expr(
                complaint::Column::VerifiedBy,
                Expr::value(Some(actor.staff_id)),
            )
            .col_expr(complaint::Column::VerifiedAt, Expr::value(Some(now)))
            .filter(complaint::Column::Id.eq(id))
            .filter(complaint::Column::Verified.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(Error::Conflict(
                "the complaint was examined meanwhile".to_owned(),
            ));
        }
        let mut event = NewEvent::system(EventKind::ComplaintVerified).by(actor.staff_id);
        event.case_id = found.case_id;
        events::record(
            &txn,
            now,
            vec![event.after(json!({
                "complaintId": id, "verified": verified, "category": category,
                "departmentId": found.department_id, "staffId": found.staff_id,
            }))],
        )
        .await?;
        if let Some(rule) = lianban_rules::complaints::rule_for(category).filter(|_| verified) {
            let mut score = NewScore::new(
                rule,
                id,
                EventKind::ComplaintVerified.as_str(),
                found.department_id,
                now,
                match category {
                    lianban_rules::ComplaintCategory::Attitude => {
                        "服务态度投诉经核实属实".to_owned()
                    }
                    _ => "办理结果投诉经核实属实".to_owned(),
                },
            );
            score.staff_id = found.staff_id;
            score.case_id = found.case_id;
            score.complaint_id = Some(id);
            crate::scoring::write(&txn, None, vec![score]).await?;
        }
        let examined = load(&txn, id).await?;
        txn.commit().await?;
        Ok(crate::views::ComplaintView::from(examined))
    }
}
