//! 登录 — signing in with a password (each attempt counted by the throttle before the password is
//! checked), the session it opens, and the sign-in log the centre admin reads: who, when, from
//! which address, and how it ended.

use super::{BAD_LOGIN, decoy_hash, verify_password};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::page::{self, Page, PageRequest};
use chrono::{DateTime, Utc};
use lianban_entity::{sign_in, staff};
use lianban_rules::accounts::{SignInMethod, SignInOutcome};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::QueryFilter;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// A successful sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who.
    pub staff: crate::views::StaffView,
    /// The session the token names.
    pub session_id: Uuid,
    /// Signed in with a temporary password: it must be changed before anything else.
    pub must_change_password: bool,
}

/// One line of the sign-in log.
#[derive(Debug, Clone)]
pub struct SignInView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub username: String,
    pub staff_id: Option<Uuid>,
    pub address: Option<String>,
    pub method: SignInMethod,
    pub outcome: SignInOutcome,
}

impl TryFrom<sign_in::Model> for SignInView {
    type Error = Error;

    fn try_from(m: sign_in::Model) -> Result<Self> {
        Ok(SignInView {
            id: m.id,
            at: m.at,
            username: m.username,
            staff_id: m.staff_id,
            address: m.address,
            method: SignInMethod::parse(&m.method)?,
            outcome: SignInOutcome::parse(&m.outcome)?,
        })
    }
}

/// Which sign-ins to list.
#[derive(Debug, Clone, Default)]
pub struct SignInFilter {
    /// One person's.
    pub staff_id: Option<Uuid>,
    /// Only failures.
    pub failures_only: bool,
}

/// Writes one line of the sign-in log.
pub(crate) async fn log<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    username: &str,
    staff_id: Option<Uuid>,
    address: Option<&str>,
    method: SignInMethod,
    outcome: SignInOutcome,
) -> Result<()> {
    sign_in::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        username: Set(username
            .chars()
            .take(lianban_rules::validate::MAX_SHORT)
            .collect()),
        staff_id: Set(staff_id),
        address: Set(address.map(str::to_owned)),
        method: Set(method.as_str().to_owned()),
        outcome: Set(outcome.as_str().to_owned()),
    }
    .insert(db)
    .await?;
    Ok(())
}

impl Engine {
    /// Checks a username and password and opens a session lasting until `session_until`.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an unknown or inactive user or a wrong password (the same message
    /// for each), or too many attempts; `FORBIDDEN` when password sign-in is switched off;
    /// `INVALID_INPUT` for oversized input.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<&str>,
        session_until: DateTime<Utc>,
    ) -> Result<SignedIn> {
        let username = lianban_rules::validate::required(
            "username",
            username,
            lianban_rules::validate::MAX_SHORT,
        )?;
        if password.chars().count() > 256 {
            return Err(Error::invalid("password", "at most 256 characters"));
        }
        let method = SignInMethod::Password;
        let refuse = |outcome, staff_id: Option<Uuid>| {
            log(
                self.db(),
                self.now(),
                &username,
                staff_id,
                address,
                method,
                outcome,
            )
        };
        if !self.password_sign_in() {
            refuse(SignInOutcome::PasswordSignInOff, None).await?;
            return Err(Error::Forbidden(
                "password sign-in is switched off here: sign in through the unified identity platform (统一身份认证)"
                    .to_owned(),
            ));
        }
        let keys = lianban_rules::throttle::sign_in_keys(&username, address);
        // Counted before the password is checked: parallel guesses queue on the counter.
        if let Err(err) = self.claim_sign_in(&keys).await {
            if matches!(err, Error::TooManyAttempts { .. }) {
                refuse(SignInOutcome::Throttled, None).await?;
            }
            return Err(err);
        }
        let found = staff::Entity::find()
            .filter(staff::Column::Username.eq(username.as_str()))
            .one(self.db())
            .await?;
        let hash = found
            .as_ref()
            .map_or_else(decoy_hash, |s| s.password_hash.clone());
        let given = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &given))
            .await
            .map_err(|e| Error::Internal(format!("password check: {e}")))?;
        let person = match found {
            None => {
                refuse(SignInOutcome::UnknownAccount, None).await?;
                return Err(Error::Unauthenticated(BAD_LOGIN.to_owned()));
            }
            Some(person) if !matches => {
                refuse(SignInOutcome::WrongPassword, Some(person.id)).await?;
                return Err(Error::Unauthenticated(BAD_LOGIN.to_owned()));
            }
            Some(person) if !person.active => {
                refuse(SignInOutcome::Deactivated, Some(person.id)).await?;
                return Err(Error::Unauthenticated(BAD_LOGIN.to_owned()));
            }
            Some(person) => person,
        };
        self.sign_in_succeeded(&keys).await?;
        self.open_signed_in(person, method, &username, address, session_until)
            .await
    }

    /// Opens the session of a checked sign-in and logs it.
    pub(crate) async fn open_signed_in(
        &self,
        person: staff::Model,
        method: SignInMethod,
        username: &str,
        address: Option<&str>,
        session_until: DateTime<Utc>,
    ) -> Result<SignedIn> {
        let now = self.now();
        let must_change_password = person.must_change_password;
        let outcome = if must_change_password {
            SignInOutcome::MustChangePassword
        } else {
            SignInOutcome::SignedIn
        };
        let (_gate, txn) = self.begin_write().await?;
        let session_id =
            super::sessions::open(&txn, person.id, method, address, now, session_until).await?;
        log(
            &txn,
            now,
            username,
            Some(person.id),
            address,
            method,
            outcome,
        )
        .await?;
        txn.commit().await?;
        Ok(SignedIn {
            staff: crate::views::StaffView::try_from(person)?,
            session_id,
            must_change_password,
        })
    }

    /// 登录日志 — the sign-in log, newest first (centre admin).
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`.
    pub async fn sign_ins(
        &self,
        actor: &Actor,
        filter: SignInFilter,
        request: PageRequest,
    ) -> Result<Page<SignInView>> {
        actor.require(Role::CenterAdmin, "reading the sign-in log")?;
        let mut query = sign_in::Entity::find();
        if let Some(staff_id) = filter.staff_id {
            query = query.filter(sign_in::Column::StaffId.eq(staff_id));
        }
        if filter.failures_only {
            query = query.filter(sign_in::Column::Outcome.is_not_in([
                SignInOutcome::SignedIn.as_str(),
                SignInOutcome::MustChangePassword.as_str(),
            ]));
        }
        let found = page::fetch(self.db(), query, sign_in::Column::Id, true, request).await?;
        let items = found
            .items
            .into_iter()
            .map(SignInView::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            has_next: found.has_next,
            total: found.total,
        })
    }
}
