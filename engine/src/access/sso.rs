//! 统一身份认证 — the engine's part of single sign-on: the attempts in flight (their state,
//! PKCE verifier and nonce, kept in the database so that any process can finish what another
//! began, and usable once within [`ATTEMPT_LIFETIME`]), and turning the identity the provider
//! vouched for into a session. Nobody's account is made here: an identity no account is linked
//! to is refused, and logged.

use super::sign_in::{SignedIn, log};
use crate::engine::Engine;
use crate::error::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use lianban_entity::{sso_attempt, staff};
use lianban_rules::accounts::{SignInMethod, SignInOutcome};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// How long a sign-in at the provider may take.
pub const ATTEMPT_LIFETIME: Duration = Duration::minutes(10);

impl Engine {
    /// Keeps an attempt begun at the provider (and forgets stale ones).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn begin_sso_attempt(&self, state: &str, verifier: &str, nonce: &str) -> Result<()> {
        let now = self.now();
        sso_attempt::Entity::delete_many()
            .filter(sso_attempt::Column::CreatedAt.lt(now - ATTEMPT_LIFETIME))
            .exec(self.db())
            .await?;
        sso_attempt::ActiveModel {
            state: Set(state.to_owned()),
            verifier: Set(verifier.to_owned()),
            nonce: Set(nonce.to_owned()),
            created_at: Set(now),
        }
        .insert(self.db())
        .await?;
        Ok(())
    }

    /// Takes back an attempt by its state: its PKCE verifier and nonce, once.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an unknown, used or stale state.
    pub async fn finish_sso_attempt(&self, state: &str) -> Result<(String, String)> {
        let now = self.now();
        let gone = || {
            Error::Unauthenticated(
                "this single sign-on is unknown or took too long; start again".to_owned(),
            )
        };
        if state.len() > 128 {
            return Err(gone());
        }
        let found = sso_attempt::Entity::find_by_id(state.to_owned())
            .one(self.db())
            .await?
            .ok_or_else(gone)?;
        // Deleted by the first to finish it: a replayed state finds nothing.
        let taken = sso_attempt::Entity::delete_many()
            .filter(sso_attempt::Column::State.eq(state))
            .exec(self.db())
            .await?
            .rows_affected;
        if taken == 0 || found.created_at < now - ATTEMPT_LIFETIME {
            return Err(gone());
        }
        Ok((found.verifier, found.nonce))
    }

    /// Signs in the person linked to the identity `subject` the provider vouched for, with a
    /// session until `session_until`.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when no account is linked to it or that account is deactivated (each
    /// logged with its reason).
    pub async fn sign_in_sso(
        &self,
        subject: &str,
        address: Option<&str>,
        session_until: DateTime<Utc>,
    ) -> Result<SignedIn> {
        let method = SignInMethod::Sso;
        let found = staff::Entity::find()
            .filter(staff::Column::SsoSubject.eq(subject))
            .one(self.db())
            .await?;
        match found {
            None => {
                log(
                    self.db(),
                    self.now(),
                    subject,
                    None,
                    address,
                    method,
                    SignInOutcome::UnknownAccount,
                )
                .await?;
                Err(Error::Unauthenticated(
                    "no Lianban account is linked to this identity: ask the centre admin to link it".to_owned(),
                ))
            }
            Some(person) if !person.active => {
                log(
                    self.db(),
                    self.now(),
                    subject,
                    Some(person.id),
                    address,
                    method,
                    SignInOutcome::Deactivated,
                )
                .await?;
                Err(Error::Unauthenticated(
                    "this account is no longer active".to_owned(),
                ))
            }
            Some(person) => {
                let username = person.username.clone();
                self.open_signed_in(person, method, &username, address, session_until)
                    .await
            }
        }
    }

    /// Logs a single sign-on the provider's answer to which could not be checked.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn sso_failed(&self, what: &str, address: Option<&str>) -> Result<()> {
        log(
            self.db(),
            self.now(),
            what,
            None,
            address,
            SignInMethod::Sso,
            SignInOutcome::SsoFailed,
        )
        .await
    }
}
