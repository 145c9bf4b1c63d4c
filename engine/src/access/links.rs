//! 设置密码链接 — one-time links by mail that let a person set their password: only each
//! link's hash is kept; a link lives [`LINK_LIFETIME`], works once, and is withdrawn by a new
//! password, a corrected mail address, a temporary password, a newer link or deactivation.

use super::passwords::set_password;
use super::{hash_password, sessions};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use crate::mail::outbox::{self, Mail, NewMessage};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{password_reset, staff};
use lianban_rules::accounts::{SessionEnd, check_new_password};
use lianban_rules::mail::PasswordLink;
use sea_orm::QueryFilter;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long a password link works.
pub const LINK_LIFETIME: Duration = Duration::hours(24);

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
    fn a_link_s_secret_is_long_random_and_url_safe() {
        let (a, b) = (new_link_token(), new_link_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(link_hash("x"), link_hash("x"));
        assert_ne!(link_hash("x"), link_hash("y"));
    }
}
