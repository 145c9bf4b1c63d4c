//! 密码 — changing one's own password, an admin's reset (a one-time link by mail that lets the
//! person set the new one, or a temporary password to be changed at the next sign-in), and
//! setting a password from a link. A new password ends every other session of the person.

use super::links::send_link;
use super::{hash_password, sessions, verify_password};

use super::links::withdraw_links;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use lianban_entity::staff;
use lianban_rules::accounts::{SessionEnd, check_new_password};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::QueryFilter;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait};
use serde_json::json;
use uuid::Uuid;

/// How an admin resets a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetMethod {
    /// A one-time link by mail; the person sets the new password.
    Link,
    /// A temporary password shown to the admin once, to be changed at the next sign-in.
    Temporary,
}

/// What a reset did.
#[derive(Debug, Clone)]
pub struct ResetOutcome {
    /// The temporary password (shown once; only its hash is kept).
    pub temporary_password: Option<String>,
    /// Until when the mailed link works.
    pub link_expires_at: Option<DateTime<Utc>>,
}

/// A temporary password: 15 characters in groups, without look-alikes (no 0/O, 1/l/I).
pub(crate) fn new_temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Sets a person's password; `must_change` for a temporary one. The version is bumped in the
/// statement itself, so an edit made meanwhile from an older read still conflicts.
pub(super) async fn set_password<C: ConnectionTrait>(
    db: &C,
    person: staff::Model,
    hash: String,
    must_change: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    staff::Entity::update_many()
        .col_expr(staff::Column::PasswordHash, Expr::value(hash))
        .col_expr(staff::Column::MustChangePassword, Expr::value(must_change))
        .col_expr(staff::Column::PasswordChangedAt, Expr::value(Some(now)))
        .col_expr(
            staff::Column::Version,
            Expr::col(staff::Column::Version).add(1),
        )
        .filter(staff::Column::Id.eq(person.id))
        .exec(db)
        .await?;
    Ok(())
}

impl Engine {
    /// 修改密码 — the signed-in person changes their own password; every other session of
    /// theirs ends (this one goes on). Wrong current passwords count against the sign-in
    /// throttle like wrong sign-ins.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a wrong current password (or too many); `INVALID_INPUT` when the new
    /// one is too short, too long or too easy to guess, or the same as the current one.
    pub async fn change_password(
        &self,
        staff_id: Uuid,
        session_id: Uuid,
        current: &str,
        new: &str,
        address: Option<&str>,
    ) -> Result<()> {
        let person = staff::Entity::find_by_id(staff_id)
            .one(self.db())
            .await?
            .filter(|p| p.active)
            .ok_or_else(|| Error::Unauthenticated("this account is no longer active".into()))?;
        if current.chars().count() > 256 {
            return Err(Error::invalid("currentPassword", "at most 256 characters"));
        }
        check_new_password("newPassword", new, &person.username, &person.display_name)?;
        let keys = lianban_rules::throttle::sign_in_keys(&person.username, address);
        self.claim_sign_in(&keys).await?;
        let (hash, given, new_owned) = (
            person.password_hash.clone(),
            current.to_owned(),
            new.to_owned(),
        );
        let (matches, same, new_hash) = tokio::task::spawn_blocking(move || {
            (
                verify_password(&hash, &given),
                verify_password(&hash, &new_owned),
                hash_password(&new_owned),
            )
        })
        .await
        .map_err(|e| Error::Internal(format!("password check: {e}")))?;
        if !matches {
            return Err(Error::Unauthenticated(
                "the current password is wrong".to_owned(),
            ));
        }
        if same {
            return Err(Error::invalid(
                "newPassword",
                "must differ from the current password",
            ));
        }
        self.sign_in_succeeded(&keys).await?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        set_password(&txn, person, new_hash?, false, now).await?;
        withdraw_links(&txn, staff_id, now).await?;
        sessions::end_all(
            &txn,
            staff_id,
            Some(session_id),
            SessionEnd::PasswordChanged,
            Some(staff_id),
            now,
        )
        .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::PasswordChanged)
                    .by(staff_id)
                    .after(json!({ "staffId": staff_id })),
            ],
        )
        .await?;
        txn.commit().await?;
        self.sessions.forget_person(staff_id);
        Ok(())
    }

    /// 重置密码 — a centre admin resets a person's password: by a one-time link mailed to
    /// them (they set the new one; the old one works until then), or by a temporary password
    /// returned here once, which ends their sessions and must be changed at the next sign-in.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `NOT_FOUND` for an unknown person; `INVALID_STATE`
    /// for a deactivated one; `INVALID_INPUT` for a link to a person without a mail address.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        staff_id: Uuid,
        method: ResetMethod,
    ) -> Result<ResetOutcome> {
        actor.require(Role::CenterAdmin, "resetting a password")?;
        let temporary = match method {
            ResetMethod::Temporary => {
                let password = new_temporary_password();
                let hashed = password.clone();
                let hash = tokio::task::spawn_blocking(move || hash_password(&hashed))
                    .await
                    .map_err(|e| Error::Internal(format!("password hash: {e}")))??;
                Some((password, hash))
            }
            ResetMethod::Link => None,
        };
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let person = staff::Entity::find_by_id(staff_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("staff member {staff_id}")))?;
        if !person.active {
            return Err(Error::InvalidState(format!(
                "{} is deactivated: reactivate the account before resetting its password",
                person.display_name
            )));
        }
        let outcome = match temporary {
            Some((password, hash)) => {
                set_password(&txn, person, hash, true, now).await?;
                withdraw_links(&txn, staff_id, now).await?;
                sessions::end_all(
                    &txn,
                    staff_id,
                    None,
                    SessionEnd::PasswordChanged,
                    Some(actor.staff_id),
                    now,
                )
                .await?;
                ResetOutcome {
                    temporary_password: Some(password),
                    link_expires_at: None,
                }
            }
            None => {
                // Only the newest link works.
                withdraw_links(&txn, staff_id, now).await?;
                ResetOutcome {
                    temporary_password: None,
                    link_expires_at: Some(
                        send_link(&txn, &person, Some(actor.staff_id), false, now).await?,
                    ),
                }
            }
        };
        let how = if outcome.temporary_password.is_some() {
            "TEMPORARY"
        } else {
            "LINK"
        };
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::PasswordReset)
                    .by(actor.staff_id)
                    .after(json!({ "staffId": staff_id, "method": how })),
            ],
        )
        .await?;
        txn.commit().await?;
        self.sessions.forget_person(staff_id);
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_password_is_random_readable_and_acceptable() {
        let temporary = new_temporary_password();
        assert_eq!(temporary.len(), 14);
        assert!(!temporary.contains(['0', 'o', '1', 'l', 'i']));
        assert!(
            lianban_rules::accounts::check_new_password("p", &temporary, "someone", "某人").is_ok(),
            "a temporary password passes the rules it asks of others: {temporary}"
        );
    }
}
