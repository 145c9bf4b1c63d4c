//! Reading and writing supervision items: a new item, loading one, moving one a step under
//! optimistic concurrency, and the mail about one.

use crate::error::{Error, Result};
use crate::outbox::NewMessage;
use chrono::{DateTime, Utc};
use lianban_entity::{
    SupervisionLevel, SupervisionSource, SupervisionStatus, staff, supervision_item,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// What a new item is about.
#[derive(Debug, Clone)]
pub(crate) struct NewItem {
    pub department_id: Uuid,
    pub case_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    /// The clock whose overrun opened it (the ladder's items).
    pub clock_id: Option<Uuid>,
    pub source: SupervisionSource,
    pub title: String,
    pub detail: String,
    pub opened_by: Option<Uuid>,
}

/// A new item, `OPENED` at `now` (黄牌 level), nobody answering for it yet.
pub(crate) fn new_item(
    id: Uuid,
    item: NewItem,
    now: DateTime<Utc>,
) -> supervision_item::ActiveModel {
    supervision_item::ActiveModel {
        id: Set(id),
        department_id: Set(item.department_id),
        case_id: Set(item.case_id),
        task_id: Set(item.task_id),
        clock_id: Set(item.clock_id),
        source: Set(item.source),
        level: Set(SupervisionLevel::YellowCard),
        status: Set(SupervisionStatus::Opened),
        title: Set(item.title),
        detail: Set(item.detail),
        opened_by: Set(item.opened_by),
        opened_at: Set(now),
        raised_at: Set(None),
        assignee_id: Set(None),
        reply_due_at: Set(None),
        chases: Set(0),
        answer: Set(None),
        answered_at: Set(None),
        archived_at: Set(None),
        alerts: Set(0),
        next_alert_at: Set(None),
    }
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<supervision_item::Model> {
    supervision_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| Error::not_found(format!("supervision item {id}")))
}

/// Moves `item` to `next` if nobody moved it since it was read, with the extra columns `set`.
pub(crate) async fn step<C, F>(
    db: &C,
    item: &supervision_item::Model,
    next: SupervisionStatus,
    set: F,
) -> Result<supervision_item::Model>
where
    C: ConnectionTrait,
    F: FnOnce(
        sea_orm::UpdateMany<supervision_item::Entity>,
    ) -> sea_orm::UpdateMany<supervision_item::Entity>,
{
    let query = supervision_item::Entity::update_many()
        .col_expr(supervision_item::Column::Status, Expr::value(next))
        .filter(supervision_item::Column::Id.eq(item.id))
        .filter(supervision_item::Column::Status.eq(item.status))
        .filter(supervision_item::Column::Chases.eq(item.chases));
    let done = set(query).exec(db).await?;
    if done.rows_affected != 1 {
        return Err(Error::Conflict(
            "the supervision item changed meanwhile; read it again".to_owned(),
        ));
    }
    load(db, item.id).await
}

pub(crate) fn calendar_due(at: DateTime<Utc>) -> String {
    at.to_rfc3339()
}

pub(crate) fn mail(
    item: &supervision_item::Model,
    to: &staff::Model,
    template: &'static str,
    note: Option<&str>,
    due: &str,
) -> NewMessage {
    NewMessage {
        message_id: format!(
            "supervision-{}-{template}-{}-{}",
            item.id, item.chases, to.id
        ),
        recipient_id: Some(to.id),
        recipient_email: to.email.clone(),
        template,
        payload: json!({
            "itemId": item.id,
            "caseId": item.case_id,
            "title": item.title,
            "detail": item.detail,
            "note": note,
            "chases": item.chases,
            "replyDueAt": due,
        }),
    }
}
