//! 投递 — the sender's side of the outbox: claiming due messages with a lease (several workers
//! never hold the same message), recording each attempt, backing off after failures, giving up
//! after a set number of attempts (the centre admin sees those and can resend), and the facts a
//! mail template names.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::views::OutboxMessageView;
use chrono::{DateTime, Utc};
use lianban_entity::{OutboxStatus, case, department, matter, outbox};
pub use lianban_rules::mail::{MailFacts, RetryPolicy};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DbBackend, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

impl Engine {
    /// Claims up to `limit` messages due at `now` and reserves them for `policy.lease`; each
    /// claim counts as an attempt.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn claim_messages(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        policy: &RetryPolicy,
    ) -> Result<Vec<OutboxMessageView>> {
        let (_gate, txn) = self.begin_write().await?;
        let mut query = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .filter(outbox::Column::NextAttemptAt.lte(now))
            .order_by_asc(outbox::Column::NextAttemptAt)
            .limit(limit);
        if self.db().get_database_backend() == DbBackend::Postgres {
            query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = query.all(&txn).await?;
        let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::NextAttemptAt,
                Expr::value(now + policy.lease),
            )
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(rows
            .into_iter()
            .map(|mut m| {
                m.attempts += 1;
                m.into()
            })
            .collect())
    }

    /// Records a delivered message.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn mark_sent(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let (_gate, txn) = self.begin_write().await?;
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sent))
            .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
            .col_expr(
                outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(outbox::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: the message waits for its next attempt, or is marked failed
    /// after the last one.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn mark_attempt_failed(
        &self,
        message: &OutboxMessageView,
        error: &str,
        now: DateTime<Utc>,
        policy: &RetryPolicy,
    ) -> Result<lianban_rules::OutboxStatus> {
        let status = policy.after_failure(message.attempts);
        self.record_failure(
            message.id,
            status,
            now + policy.backoff(message.attempts),
            error,
        )
        .await?;
        Ok(status)
    }

    /// Marks a message failed at once, without the attempts left: one that can never be sent
    /// (its template is unknown, or its payload is not the template's). The centre admin sees
    /// it with `error` among the failed messages.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn mark_undeliverable(
        &self,
        message: &OutboxMessageView,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.record_failure(message.id, lianban_rules::OutboxStatus::Failed, now, error)
            .await
    }

    /// Writes a failure: the message's new status, its next attempt and the error (its first
    /// 500 characters).
    async fn record_failure(
        &self,
        id: Uuid,
        status: lianban_rules::OutboxStatus,
        next_attempt_at: DateTime<Utc>,
        error: &str,
    ) -> Result<()> {
        let error: String = error.chars().take(500).collect();
        let (_gate, txn) = self.begin_write().await?;
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::from(status)),
            )
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(next_attempt_at))
            .col_expr(outbox::Column::LastError, Expr::value(Some(error)))
            .filter(outbox::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Messages by status, newest first (centre admin).
    ///
    /// # Errors
    /// `FORBIDDEN` unless a centre admin.
    pub async fn outbox_messages(
        &self,
        actor: &Actor,
        status: lianban_rules::OutboxStatus,
        page: crate::store::page::PageRequest,
    ) -> Result<crate::store::page::Page<OutboxMessageView>> {
        actor.require(Role::CenterAdmin, "reading the outbox")?;
        let query =
            outbox::Entity::find().filter(outbox::Column::Status.eq(OutboxStatus::from(status)));
        Ok(
            crate::store::page::fetch(self.db(), query, outbox::Column::Id, true, page)
                .await?
                .map(Into::into),
        )
    }

    /// Puts a failed message back in the queue (centre admin).
    ///
    /// # Errors
    /// `FORBIDDEN` unless a centre admin; `NOT_FOUND`; `INVALID_STATE` unless it failed.
    pub async fn resend_message(&self, actor: &Actor, id: Uuid) -> Result<OutboxMessageView> {
        actor.require(Role::CenterAdmin, "resending a message")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let message = outbox::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("message {id}")))?;
        if message.status != OutboxStatus::Failed {
            return Err(Error::InvalidState(format!(
                "this message is {:?}, not failed",
                message.status
            )));
        }
        let mut active = message.into_active_model();
        active.status = Set(OutboxStatus::Pending);
        active.attempts = Set(0);
        active.next_attempt_at = Set(now);
        let message = active.update(&txn).await?;
        txn.commit().await?;
        Ok(message.into())
    }

    /// How many messages wait to be sent.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn pending_messages(&self) -> Result<u64> {
        Ok(outbox::Entity::find()
            .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
            .count(self.db())
            .await?)
    }

    /// What a mail about a case names: its number, matter, lead department, due time and light.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn mail_facts(&self, case_id: Uuid) -> Result<Option<MailFacts>> {
        let Some(case) = case::Entity::find_by_id(case_id).one(self.db()).await? else {
            return Ok(None);
        };
        let matter = matter::Entity::find_by_id(case.matter_id)
            .one(self.db())
            .await?;
        let department = department::Entity::find_by_id(case.lead_department_id)
            .one(self.db())
            .await?;
        let (due_at, light) = match case.clock_id {
            Some(id) => match self.clock_view(id).await? {
                Some(view) => (Some(view.reading.due_at), Some(view.reading.light)),
                None => (None, None),
            },
            None => (None, None),
        };
        Ok(Some(MailFacts {
            number: case.number,
            matter: matter.map(|m| m.name).unwrap_or_default(),
            department: department.map(|d| d.name).unwrap_or_default(),
            due_at,
            light,
        }))
    }
}
