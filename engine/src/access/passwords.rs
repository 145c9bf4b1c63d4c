//! 密码 — changing one's own password, an admin's reset (a one-time link by mail that lets the
//! person set the new one, or a temporary password to be changed at the next sign-in), and
//! setting a password from a link. A new password ends every other session of the person.

use super::{hash_password, sessions, verify_password};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, Mail, NewMessage};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{password_reset, staff};
use lianban_rules::accounts::{SessionEnd, check_new_password};
use lianban_rules::mail::PasswordLink;
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::QueryFilter;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long a password link works.
pub const LINK_LIFETIME: Duration = Duration::hours(24);

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

fn link_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A link's secret: 256 random bits, URL-safe.
fn new_link_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 43];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 63)]))
        .collect()
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
async fn set_password<C: ConnectionTrait>(
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

/// Withdraws every unused link of a person (a new password, a new mail address, a temporary
/// password, or deactivation makes them stale).
pub(crate) async fn withdraw_links<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::StaffId.eq(staff_id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Queues a one-time password link to `person`; returns until when it works.
pub(crate) async fn send_link<C: ConnectionTrait>(
    db: &C,
    person: &staff::Model,
    by: Option<Uuid>,
    welcome: bool,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    if person.email.trim().is_empty() {
        return Err(Error::invalid(
            "email",
            format!(
                "{} has no mail address: give one, or reset with a temporary password",
                person.display_name
            ),
        ));
    }
    let token = new_link_token();
    let expires_at = now + LINK_LIFETIME;
    let id = Uuid::now_v7();
    password_reset::ActiveModel {
        id: Set(id),
        staff_id: Set(person.id),
        token_hash: Set(link_hash(&token)),
        created_by: Set(by),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    outbox::enqueue(
        db,
        now,
        NewMessage {
            message_id: format!("password-link:{id}"),
            recipient_id: Some(person.id),
            recipient_email: person.email.clone(),
            mail: Mail::PasswordLink(PasswordLink {
                name: person.display_name.clone(),
                username: person.username.clone(),
                token,
                expires_at,
                welcome,
            }),
        },
    )
    .await?;
    Ok(expires_at)
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

    /// Sets a password from a one-time link; every session of the person ends and every other
    /// link of theirs stops working. Returns the person (to sign in as).
    ///
    /// # Errors
    /// `INVALID_STATE` for a link that is unknown, used or expired (the same message for each);
    /// `INVALID_INPUT` when the new password is not acceptable.
    pub async fn set_password_from_link(
        &self,
        token: &str,
        new: &str,
    ) -> Result<crate::views::StaffView> {
        let dead = || {
            Error::InvalidState(
                "this link is not valid any more (used, expired or replaced): ask the centre admin for a new one"
                    .to_owned(),
            )
        };
        if token.len() > 128 {
            return Err(dead());
        }
        let now = self.now();
        let reset = password_reset::Entity::find()
            .filter(password_reset::Column::TokenHash.eq(link_hash(token)))
            .one(self.db())
            .await?
            .filter(|r| r.used_at.is_none() && r.expires_at > now)
            .ok_or_else(dead)?;
        let person = staff::Entity::find_by_id(reset.staff_id)
            .one(self.db())
            .await?
            .filter(|p| p.active)
            .ok_or_else(dead)?;
        check_new_password("newPassword", new, &person.username, &person.display_name)?;
        let new_owned = new.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&new_owned))
            .await
            .map_err(|e| Error::Internal(format!("password hash: {e}")))??;
        let (_gate, txn) = self.begin_write().await?;
        // Claimed by its first use only: a second use in parallel finds it used.
        let claimed = password_reset::Entity::update_many()
            .col_expr(password_reset::Column::UsedAt, Expr::value(now))
            .filter(password_reset::Column::Id.eq(reset.id))
            .filter(password_reset::Column::UsedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected;
        if claimed == 0 {
            return Err(dead());
        }
        // The person's other links stop working too.
        password_reset::Entity::update_many()
            .col_expr(password_reset::Column::UsedAt, Expr::value(now))
            .filter(password_reset::Column::StaffId.eq(person.id))
            .filter(password_reset::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        let staff_id = person.id;
        let fresh = staff::Entity::find_by_id(staff_id)
            .one(&txn)
            .await?
            .ok_or_else(dead)?;
        set_password(&txn, fresh, hash, false, now).await?;
        sessions::end_all(
            &txn,
            staff_id,
            None,
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
                    .after(json!({ "staffId": staff_id, "by": "LINK" })),
            ],
        )
        .await?;
        txn.commit().await?;
        self.sessions.forget_person(staff_id);
        crate::views::StaffView::try_from(person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_readable() {
        let (a, b) = (new_link_token(), new_link_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        let temporary = new_temporary_password();
        assert_eq!(temporary.len(), 14);
        assert!(!temporary.contains(['0', 'o', '1', 'l', 'i']));
        assert!(
            lianban_rules::accounts::check_new_password("p", &temporary, "someone", "某人").is_ok(),
            "a temporary password passes the rules it asks of others: {temporary}"
        );
        assert_eq!(link_hash("x"), link_hash("x"));
        assert_ne!(link_hash("x"), link_hash("y"));
    }
}
