//! 发件箱 — messages written in the same transaction as the change that causes them; the
//! sender (a worker) delivers them later. A stable `message_id` makes each message unique, so
//! writing the same message twice keeps one.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::{OutboxStatus, outbox};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, QueryTrait, Statement};
use uuid::Uuid;

pub use lianban_rules::mail::{Mail, NewMessage};

/// A mail's template key and payload, as the outbox stores them.
fn stored(mail: &Mail) -> Result<(&'static str, serde_json::Value)> {
    mail.stored()
        .map_err(|e| Error::Internal(format!("mail {}: {e}", mail.key())))
}

fn row(at: DateTime<Utc>, message: NewMessage) -> Result<outbox::ActiveModel> {
    let (template, payload) = stored(&message.mail)?;
    Ok(outbox::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_seq: Set(None),
        message_id: Set(message.message_id),
        recipient_id: Set(message.recipient_id),
        recipient_email: Set(message.recipient_email),
        template: Set(template.to_owned()),
        payload: Set(payload),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(at),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    })
}

/// Queues several messages, skipping any whose `message_id` exists; returns how many were new.
/// On PostgreSQL in one `INSERT … SELECT FROM UNNEST(…)` whatever their number, elsewhere in
/// statements of 1,000 rows.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub async fn enqueue_many<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    messages: Vec<NewMessage>,
) -> Result<u64> {
    let mut inserted = 0;
    for statement in enqueue_statements(db.get_database_backend(), at, messages)? {
        inserted += db.execute_raw(statement).await?.rows_affected();
    }
    Ok(inserted)
}

/// The statements [`enqueue_many`] runs, to run alone or in a
/// [`crate::store::batch::Batch`] (none for no messages).
///
/// # Errors
/// `INTERNAL` when a mail cannot be stored.
pub(crate) fn enqueue_statements(
    backend: DbBackend,
    at: DateTime<Utc>,
    messages: Vec<NewMessage>,
) -> Result<Vec<Statement>> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    if backend == DbBackend::Postgres {
        return Ok(vec![unnest(at, messages)?]);
    }
    let mut statements = Vec::new();
    let mut rest = messages.into_iter().peekable();
    while rest.peek().is_some() {
        let chunk = rest
            .by_ref()
            .take(1000)
            .map(|m| row(at, m))
            .collect::<Result<Vec<_>>>()?;
        let insert = outbox::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::column(outbox::Column::MessageId)
                    .do_nothing()
                    .to_owned(),
            )
            .into_query();
        statements.push(backend.build(&insert));
    }
    Ok(statements)
}

fn unnest(at: DateTime<Utc>, messages: Vec<NewMessage>) -> Result<Statement> {
    let n = messages.len();
    let (mut ids, mut message_ids, mut recipients) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let (mut emails, mut templates, mut payloads) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for m in messages {
        let (template, payload) = stored(&m.mail)?;
        ids.push(Uuid::now_v7());
        message_ids.push(m.message_id);
        recipients.push(m.recipient_id.unwrap_or_default());
        emails.push(m.recipient_email);
        templates.push(template.to_owned());
        payloads.push(payload.to_string());
    }
    let sql = "INSERT INTO outbox (id, event_seq, message_id, recipient_id, recipient_email, template, payload, \
                                   status, attempts, next_attempt_at, last_error, created_at, sent_at) \
               SELECT v.id, NULL, v.message_id, NULLIF(v.recipient_id, '00000000-0000-0000-0000-000000000000'::uuid), \
                      v.email, v.template, v.payload::json, 'PENDING', 0, $7, NULL, $7, NULL \
               FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[]) \
                    AS v(id, message_id, recipient_id, email, template, payload) \
               ON CONFLICT (message_id) DO NOTHING";
    let values: Vec<sea_orm::Value> = vec![
        ids.into(),
        message_ids.into(),
        recipients.into(),
        emails.into(),
        templates.into(),
        payloads.into(),
        at.into(),
    ];
    Ok(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
}

/// Queues a message unless one with the same `message_id` exists; returns whether it was new.
///
/// # Errors
/// `INTERNAL` on a database fault.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    message: NewMessage,
) -> Result<bool> {
    Ok(enqueue_many(db, at, vec![message]).await? == 1)
}
