//! The one way a verb on a case opens and closes, so that no verb can forget a step.
//!
//! Opening, in this order:
//! 1. the idempotency key is checked;
//! 2. the write transaction begins (on SQLite the writers' queue, then `BEGIN IMMEDIATE`);
//! 3. the case is locked — its first write, so concurrent writers of one case queue on it;
//! 4. a request seen before with the same key is answered with the case as it is now, and
//!    nothing changes;
//! 5. the rules say whether the actor may do the verb, given the case and its scope (a verb on
//!    one part of the case, an opinion on a task, checks that part instead, once it is read).
//!
//! Closing: the case's scope is read again inside the transaction (the verb may have added
//! tasks), the transaction commits, and the verb returns the case as the actor now sees it —
//! the API does not read it again.

use super::{CaseView, lock_case, scope_of};
use crate::engine::{Engine, WriteGate};
use crate::error::{During, Result};
use crate::store::idempotency;
use chrono::{DateTime, Utc};
use lianban_entity::case;
use lianban_rules::policy::{Actor, CaseScope};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

/// A verb under way: its transaction (keep the gate until the end), the locked case, the
/// instant it happens at.
pub(crate) struct Verb {
    pub gate: WriteGate,
    pub txn: DatabaseTransaction,
    pub case: case::Model,
    pub now: DateTime<Utc>,
}

/// How a verb opened: under way, or a replay already answered.
pub(crate) enum Opening {
    Go(Verb),
    Replay(CaseView),
}

/// How a verb that makes something on a case (an opinion) opened: under way, or a replay of the
/// request that made the thing with this id.
pub(crate) enum Making {
    Go(Box<Verb>),
    Replay(Uuid),
}

/// Opens a verb with [`Engine::open_verb`]; a replay returns its answer from the calling verb.
macro_rules! open_verb {
    ($opening:expr) => {
        match $opening.await? {
            crate::cases::verb::Opening::Replay(view) => return Ok(view),
            crate::cases::verb::Opening::Go(verb) => verb,
        }
    };
}
pub(crate) use open_verb;

impl Engine {
    /// Opens `name` on case `case_id` for `actor` (see the module's steps); `may` is the rule of
    /// who may do it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed key; `NOT_FOUND` for no such case; `CONFLICT` for a key
    /// used for another operation or for this one on another case; what `may` refuses.
    pub(crate) async fn open_verb(
        &self,
        actor: &Actor,
        case_id: Uuid,
        name: &'static str,
        key: Option<&str>,
        may: impl FnOnce(&case::Model, &CaseScope) -> lianban_rules::Result<()>,
    ) -> Result<Opening> {
        match self
            .open_making(actor, case_id, name, key, case_id, may)
            .await?
        {
            Making::Go(verb) => Ok(Opening::Go(*verb)),
            Making::Replay(first) if first == case_id => {
                Ok(Opening::Replay(self.case_view(actor, case_id).await?))
            }
            Making::Replay(_) => Err(idempotency::reused_elsewhere(key, name, "case")),
        }
    }

    /// Opens `name` on case `case_id` for `actor` the same way, for a verb that makes the thing
    /// `making` (a replay answers with the id the first request made).
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed key; `NOT_FOUND` for no such case; `CONFLICT` for a key
    /// used for another operation; what `may` refuses.
    pub(crate) async fn open_making(
        &self,
        actor: &Actor,
        case_id: Uuid,
        name: &'static str,
        key: Option<&str>,
        making: Uuid,
        may: impl FnOnce(&case::Model, &CaseScope) -> lianban_rules::Result<()>,
    ) -> Result<Making> {
        let opened = self
            .begin_verb(actor, Locate::Case(case_id), name, key, making)
            .await?;
        if let Making::Go(verb) = &opened {
            let scope = scope_of(&verb.txn, &verb.case).await?;
            may(&verb.case, &scope)?;
        }
        Ok(opened)
    }

    /// Steps 1 to 4 of opening, for a verb on one task of a case whose permission depends on the
    /// task rather than on the case (an opinion: the task's assignee or department head), which
    /// the verb checks itself once it has read the task under the lock — so the case's scope is
    /// not read for nothing. The case is found from the task in the statement that locks it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed key; `NOT_FOUND` for no such task; `CONFLICT` for a key
    /// used for another operation.
    pub(crate) async fn open_on_task(
        &self,
        actor: &Actor,
        task_id: Uuid,
        name: &'static str,
        key: Option<&str>,
        making: Uuid,
    ) -> Result<Making> {
        self.begin_verb(actor, Locate::OfTask(task_id), name, key, making)
            .await
    }

    /// Steps 1 to 4: the key checked, the write transaction begun, the case locked, a replay
    /// answered.
    async fn begin_verb(
        &self,
        actor: &Actor,
        locate: Locate,
        name: &'static str,
        key: Option<&str>,
        making: Uuid,
    ) -> Result<Making> {
        let key = idempotency::check(key)?;
        let now = self.now();
        let (gate, txn) = self.begin_write().await?;
        let case = match locate {
            Locate::Case(id) => lock_case(&txn, id).await?,
            Locate::OfTask(id) => super::lock_case_of_task(&txn, id).await?,
        };
        if let idempotency::Claim::Replay(first) =
            idempotency::claim(&txn, actor.staff_id, key.as_deref(), name, making, now).await?
        {
            txn.rollback().await?;
            return Ok(Making::Replay(first));
        }
        Ok(Making::Go(Box::new(Verb {
            gate,
            txn,
            case,
            now,
        })))
    }
}

/// Which case a verb locks: by its id, or the case of a task.
enum Locate {
    Case(Uuid),
    OfTask(Uuid),
}

/// Closes a verb: commits `txn` and returns `case` as `actor` now sees it.
///
/// # Errors
/// `INTERNAL` when the commit fails.
pub(crate) async fn close(
    actor: &Actor,
    gate: WriteGate,
    txn: DatabaseTransaction,
    case: case::Model,
) -> Result<CaseView> {
    let scope = scope_of(&txn, &case).await?;
    txn.commit().await.during("committing the case's change")?;
    drop(gate);
    CaseView::new(actor, case, &scope)
}

/// Closes the verb that opened `case`: commits and returns the case as its opener sees it.
///
/// # Errors
/// `INTERNAL` when the commit fails.
pub(crate) async fn close_opened(
    actor: &Actor,
    gate: WriteGate,
    txn: DatabaseTransaction,
    case: case::Model,
) -> Result<CaseView> {
    txn.commit().await.during("committing the opened case")?;
    drop(gate);
    opened_view(actor, case)
}

/// A case just opened, as its opener sees it. The opener is the case's lead window, who sees
/// the whole case whichever departments co-handle it
/// ([`lianban_rules::policy::sees_every_task`]), so the co-handlers are not read again.
///
/// # Errors
/// `INTERNAL` when the case's row does not make a view.
pub(crate) fn opened_view(actor: &Actor, case: case::Model) -> Result<CaseView> {
    let scope = CaseScope {
        lead_department_id: case.lead_department_id,
        lead_staff_id: case.lead_staff_id,
        task_departments: Vec::new(),
    };
    debug_assert!(lianban_rules::policy::sees_every_task(actor, &scope));
    CaseView::new(actor, case, &scope)
}
