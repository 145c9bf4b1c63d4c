//! 幂等 — the same `idempotencyKey` from the same person returns the first result and changes
//! nothing. The key is claimed first thing in the creating transaction with
//! `INSERT … ON CONFLICT DO NOTHING`: a concurrent twin waits for the first to commit, then
//! finds the key taken and returns the first result.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::idempotency_key;
use lianban_rules::validate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// The outcome of claiming a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claim {
    /// The key is new (or absent): go on and create `resource`.
    Fresh,
    /// The key was used before: return this resource and change nothing.
    Replay(Uuid),
}

/// Checks a key's shape.
///
/// # Errors
/// `INVALID_INPUT` for an empty or oversized key.
pub(crate) fn check(key: Option<&str>) -> Result<Option<String>> {
    Ok(key
        .map(|k| validate::required("idempotencyKey", k, validate::MAX_SHORT))
        .transpose()?)
}

/// Claims `key` for `operation` creating `resource`, inside the caller's transaction.
///
/// # Errors
/// `CONFLICT` when the key was used for another operation.
pub(crate) async fn claim<C: ConnectionTrait>(
    txn: &C,
    staff_id: Uuid,
    key: Option<&str>,
    operation: &str,
    resource: Uuid,
    at: DateTime<Utc>,
) -> Result<Claim> {
    let Some(key) = key else {
        return Ok(Claim::Fresh);
    };
    let row = idempotency_key::ActiveModel {
        staff_id: Set(staff_id),
        key: Set(key.to_owned()),
        operation: Set(operation.to_owned()),
        resource_id: Set(resource),
        created_at: Set(at),
    };
    let inserted = idempotency_key::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                idempotency_key::Column::StaffId,
                idempotency_key::Column::Key,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    let first = idempotency_key::Entity::find_by_id((staff_id, key.to_owned()))
        .one(txn)
        .await?
        .ok_or_else(|| Error::Internal("idempotency key vanished".into()))?;
    if first.operation != operation {
        return Err(Error::Conflict(format!(
            "idempotencyKey `{key}` was already used for {}",
            first.operation
        )));
    }
    Ok(Claim::Replay(first.resource_id))
}

/// The error for a key replayed against another target than the one it was first used on.
pub(crate) fn reused_elsewhere(key: Option<&str>, operation: &str, what: &str) -> Error {
    Error::Conflict(format!(
        "idempotencyKey `{}` was already used for {operation} on another {what}",
        key.unwrap_or_default()
    ))
}

/// For an operation on an existing resource (a case, a supervision item): whether `key` was
/// used before on it — then the caller rolls back and answers with the resource as it stands.
///
/// # Errors
/// `CONFLICT` when the key was used for another operation, or for this one on another resource.
pub(crate) async fn seen_before<C: ConnectionTrait>(
    txn: &C,
    staff_id: Uuid,
    key: Option<&str>,
    operation: &str,
    resource: Uuid,
    at: DateTime<Utc>,
) -> Result<bool> {
    match claim(txn, staff_id, key, operation, resource, at).await? {
        Claim::Fresh => Ok(false),
        Claim::Replay(first) if first == resource => Ok(true),
        Claim::Replay(_) => Err(reused_elsewhere(key, operation, "item")),
    }
}
