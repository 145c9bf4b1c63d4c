//! 会话 — every sign-in is a session; a token names its session, and a request is served only
//! while the session is open, unexpired, and its person active. Signing out ends it at once in
//! this process (other processes see it within [`SESSION_TTL`]); an admin can end all of a
//! person's sessions, and deactivation or a new password ends them too.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::events::{self, EventKind, NewEvent};
use chrono::{DateTime, Utc};
use lianban_entity::{session, staff};
use lianban_rules::accounts::{SessionEnd, SignInMethod};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait};
use sea_orm::{Condition, QueryFilter};
use serde_json::json;
use uuid::Uuid;

/// How long a request's session is trusted before the database is asked again.
pub const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// An open session: who, and whether they must change a temporary password first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// The signed-in person as the rules see them.
    pub actor: Actor,
    /// Signed in with a temporary password: only changing it (and signing out) is allowed.
    pub must_change_password: bool,
}

impl SessionState {
    /// The actor, for anything but changing a temporary password (or signing out).
    ///
    /// # Errors
    /// `FORBIDDEN` while a temporary password waits to be changed.
    pub fn working_actor(&self) -> Result<&Actor> {
        if self.must_change_password {
            return Err(Error::Forbidden(
                "you signed in with a temporary password: change it first (changePassword)"
                    .to_owned(),
            ));
        }
        Ok(&self.actor)
    }
}

/// The sessions of recent requests, by session id.
#[derive(Debug, Default)]
pub(crate) struct Sessions(
    std::sync::Mutex<std::collections::HashMap<Uuid, (SessionState, std::time::Instant)>>,
);

impl Sessions {
    /// At most this many are kept; beyond it the stale ones go, then all.
    const MAX: usize = 10_000;

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<
        '_,
        std::collections::HashMap<Uuid, (SessionState, std::time::Instant)>,
    > {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, session_id: Uuid) -> Option<SessionState> {
        self.lock()
            .get(&session_id)
            .filter(|(_, at)| at.elapsed() < SESSION_TTL)
            .map(|(state, _)| state.clone())
    }

    fn put(&self, session_id: Uuid, state: SessionState) {
        let mut kept = self.lock();
        if kept.len() >= Self::MAX {
            kept.retain(|_, (_, at)| at.elapsed() < SESSION_TTL);
            if kept.len() >= Self::MAX {
                kept.clear();
            }
        }
        kept.insert(session_id, (state, std::time::Instant::now()));
    }

    /// Forgets one session.
    pub(crate) fn forget(&self, session_id: Uuid) {
        self.lock().remove(&session_id);
    }

    /// Forgets every session of a person.
    pub(crate) fn forget_person(&self, staff_id: Uuid) {
        self.lock()
            .retain(|_, (state, _)| state.actor.staff_id != staff_id);
    }
}

/// Opens a session for a sign-in; returns its id (the token's `sid`).
pub(crate) async fn open<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    method: SignInMethod,
    address: Option<&str>,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    session::ActiveModel {
        id: Set(id),
        staff_id: Set(staff_id),
        method: Set(method.as_str().to_owned()),
        address: Set(address.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ended_at: Set(None),
        ended_by: Set(None),
        end_reason: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Ends the open sessions of `staff_id` (all but `keep`); returns how many.
pub(crate) async fn end_all<C: ConnectionTrait>(
    db: &C,
    staff_id: Uuid,
    keep: Option<Uuid>,
    reason: SessionEnd,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut which = Condition::all()
        .add(session::Column::StaffId.eq(staff_id))
        .add(session::Column::EndedAt.is_null())
        .add(session::Column::ExpiresAt.gt(now));
    if let Some(keep) = keep {
        which = which.add(session::Column::Id.ne(keep));
    }
    Ok(session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .col_expr(session::Column::EndedBy, Expr::value(by))
        .col_expr(session::Column::EndReason, Expr::value(reason.as_str()))
        .filter(which)
        .exec(db)
        .await?
        .rows_affected)
}

impl Engine {
    /// The actor behind an active staff id, outside any session (jobs, tools, benchmarks).
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when the staff member no longer exists or is inactive.
    pub async fn actor(&self, staff_id: Uuid) -> Result<Actor> {
        let person = staff::Entity::find_by_id(staff_id)
            .one(self.db())
            .await?
            .filter(|s| s.active)
            .ok_or_else(|| Error::Unauthenticated("this account is no longer active".to_owned()))?;
        super::actor_of(&person)
    }

    /// The open session `session_id` of `staff_id`, read at most once per [`SESSION_TTL`] (a
    /// portal sends many requests a minute; each would read the same rows).
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when the session ended or expired, or its person is deactivated.
    pub async fn session(&self, session_id: Uuid, staff_id: Uuid) -> Result<SessionState> {
        if let Some(state) = self.sessions.get(session_id)
            && state.actor.staff_id == staff_id
        {
            return Ok(state);
        }
        let state = self.read_session(session_id, staff_id).await?;
        self.sessions.put(session_id, state.clone());
        Ok(state)
    }

    /// [`Engine::session`] without the cache (a subscription re-checks with it).
    ///
    /// # Errors
    /// As [`Engine::session`].
    pub async fn read_session(&self, session_id: Uuid, staff_id: Uuid) -> Result<SessionState> {
        let now = self.now();
        let open = Query::select()
            .expr(Expr::val(1))
            .from(session::Entity)
            .and_where(Expr::col((session::Entity, session::Column::Id)).eq(session_id))
            .and_where(Expr::col((session::Entity, session::Column::StaffId)).eq(staff_id))
            .and_where(Expr::col((session::Entity, session::Column::EndedAt)).is_null())
            .and_where(Expr::col((session::Entity, session::Column::ExpiresAt)).gt(now))
            .to_owned();
        let person = staff::Entity::find_by_id(staff_id)
            .filter(Expr::exists(open))
            .one(self.db())
            .await?;
        match person {
            Some(person) if person.active => Ok(SessionState {
                actor: super::actor_of(&person)?,
                must_change_password: person.must_change_password,
            }),
            Some(_) => Err(Error::Unauthenticated(
                "this account is no longer active".to_owned(),
            )),
            None => Err(Error::Unauthenticated(
                self.why_ended(session_id, now).await?,
            )),
        }
    }

    /// Why a session is not open, in words for the person whose token it was.
    async fn why_ended(&self, session_id: Uuid, now: DateTime<Utc>) -> Result<String> {
        let row = session::Entity::find_by_id(session_id)
            .one(self.db())
            .await?;
        Ok(match row {
            None => "this sign-in is not known here; sign in again".to_owned(),
            Some(s) => match s.end_reason.as_deref().map(SessionEnd::parse).transpose()? {
                Some(SessionEnd::Deactivated) => "this account is no longer active".to_owned(),
                Some(SessionEnd::SignedOut) => "you signed out; sign in again".to_owned(),
                Some(SessionEnd::EndedByAdmin) => {
                    "a centre admin ended this sign-in; sign in again".to_owned()
                }
                Some(SessionEnd::PasswordChanged) => {
                    "the password was changed; sign in again with the new one".to_owned()
                }
                None if s.expires_at <= now => "the sign-in has expired; sign in again".to_owned(),
                None => "this sign-in has ended; sign in again".to_owned(),
            },
        })
    }

    /// 退出登录 — ends the caller's session: its token stops working at once.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn sign_out(&self, session_id: Uuid, staff_id: Uuid) -> Result<()> {
        let now = self.now();
        session::Entity::update_many()
            .col_expr(session::Column::EndedAt, Expr::value(now))
            .col_expr(session::Column::EndedBy, Expr::value(staff_id))
            .col_expr(
                session::Column::EndReason,
                Expr::value(SessionEnd::SignedOut.as_str()),
            )
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::StaffId.eq(staff_id))
            .filter(session::Column::EndedAt.is_null())
            .exec(self.db())
            .await?;
        self.sessions.forget(session_id);
        Ok(())
    }

    /// Ends every session of a person (centre admin): each of their tokens stops working.
    /// Returns how many were open.
    ///
    /// # Errors
    /// `FORBIDDEN` unless `CENTER_ADMIN`; `NOT_FOUND` for an unknown person.
    pub async fn end_sessions(&self, actor: &Actor, staff_id: Uuid) -> Result<u64> {
        actor.require(Role::CenterAdmin, "ending a person's sessions")?;
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        staff::Entity::find_by_id(staff_id)
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found(format!("staff member {staff_id}")))?;
        let ended = end_all(
            &txn,
            staff_id,
            None,
            SessionEnd::EndedByAdmin,
            Some(actor.staff_id),
            now,
        )
        .await?;
        events::record(
            &txn,
            now,
            vec![
                NewEvent::system(EventKind::SessionsEnded)
                    .by(actor.staff_id)
                    .after(json!({ "staffId": staff_id, "ended": ended })),
            ],
        )
        .await?;
        txn.commit().await?;
        self.sessions.forget_person(staff_id);
        Ok(ended)
    }
}
