//! Reading and writing supervision items: a new item, loading one, moving one a step under
//! optimistic concurrency, and the mail about one.

use crate::error::{Error, Result};
use crate::mail::outbox::NewMessage;
use chrono::{DateTime, Utc};
use lianban_entity::{
    SupervisionLevel, SupervisionSource, SupervisionStatus, staff, supervision_item,
};
use lianban_rules::mail::{Mail, SupervisionMail};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveEnum, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    QueryFilter, Value,
};
use uuid::Uuid;

pub(crate) use lianban_rules::supervision::NewItem;

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
        source: Set(item.source.into()),
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

/// Opens the ladder's items of one sweep batch (黄牌), one per clock; a clock that already has
/// its item keeps it. On PostgreSQL one `INSERT … SELECT FROM UNNEST(…)` whatever their number;
/// elsewhere 1,000 rows a statement.
pub(crate) async fn open_many<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    items: Vec<NewItem>,
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() != DbBackend::Postgres {
        let rows: Vec<_> = items
            .into_iter()
            .map(|i| new_item(Uuid::now_v7(), i, now))
            .collect();
        // 21 columns a row: 1,000 rows stay under SQLite's 32,766 parameters.
        for chunk in rows.chunks(1000) {
            supervision_item::Entity::insert_many(chunk.to_vec())
                .on_conflict(
                    OnConflict::column(supervision_item::Column::ClockId)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
        }
        return Ok(());
    }
    let none = |id: Option<Uuid>| id.unwrap_or_else(Uuid::nil);
    let mut ids: [Vec<Uuid>; 6] = Default::default();
    let mut texts: [Vec<String>; 3] = Default::default();
    for i in items {
        for (col, id) in ids.iter_mut().zip([
            Uuid::now_v7(),
            i.department_id,
            none(i.case_id),
            none(i.task_id),
            none(i.clock_id),
            none(i.opened_by),
        ]) {
            col.push(id);
        }
        for (col, text) in texts.iter_mut().zip([
            SupervisionSource::from(i.source).to_value(),
            i.title,
            i.detail,
        ]) {
            col.push(text);
        }
    }
    const NONE: &str = "'00000000-0000-0000-0000-000000000000'::uuid";
    let sql = format!(
        "INSERT INTO supervision_items (id, department_id, case_id, task_id, clock_id, opened_by, \
           source, title, detail, level, status, opened_at, chases, alerts) \
         SELECT v.id, v.department_id, NULLIF(v.case_id, {NONE}), NULLIF(v.task_id, {NONE}), \
           NULLIF(v.clock_id, {NONE}), NULLIF(v.opened_by, {NONE}), v.source, v.title, v.detail, \
           $10, $11, $12, 0, 0 \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], \
           $7::text[], $8::text[], $9::text[]) \
           AS v(id, department_id, case_id, task_id, clock_id, opened_by, source, title, detail) \
         ON CONFLICT (clock_id) DO NOTHING"
    );
    let rest: Vec<Value> = vec![
        SupervisionLevel::YellowCard.to_value().into(),
        SupervisionStatus::Opened.to_value().into(),
        now.into(),
    ];
    crate::store::sql::unnest_exec(db, sql, ids, texts, rest).await
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
    next: lianban_rules::SupervisionStatus,
    set: F,
) -> Result<supervision_item::Model>
where
    C: ConnectionTrait,
    F: FnOnce(
        sea_orm::UpdateMany<supervision_item::Entity>,
    ) -> sea_orm::UpdateMany<supervision_item::Entity>,
{
    let query = supervision_item::Entity::update_many()
        .col_expr(
            supervision_item::Column::Status,
            Expr::value(SupervisionStatus::from(next)),
        )
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

/// What a supervision mail is: the item assigned, or chased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SupervisionMailKind {
    /// 承办 — to the assignee named.
    Assigned,
    /// 督办 — to the assignee and the department's heads.
    Chased,
}

/// The mail about `item` to `to`, with the chaser's `note` and the reply deadline `due`.
pub(crate) fn mail(
    item: &supervision_item::Model,
    to: &staff::Model,
    kind: SupervisionMailKind,
    note: Option<&str>,
    due: Option<DateTime<Utc>>,
) -> NewMessage {
    let payload = SupervisionMail {
        item_id: item.id,
        case_id: item.case_id,
        title: item.title.clone(),
        detail: item.detail.clone(),
        note: note.map(str::to_owned),
        chases: item.chases,
        reply_due_at: due,
    };
    let mail = match kind {
        SupervisionMailKind::Assigned => Mail::SupervisionAssigned(payload),
        SupervisionMailKind::Chased => Mail::SupervisionChased(payload),
    };
    NewMessage {
        message_id: format!(
            "supervision-{}-{}-{}-{}",
            item.id,
            mail.key(),
            item.chases,
            to.id
        ),
        recipient_id: Some(to.id),
        recipient_email: to.email.clone(),
        mail,
    }
}
