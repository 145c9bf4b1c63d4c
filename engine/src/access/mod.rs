//! 登录 — passwords (argon2id) and turning a signed-in staff id into an [`Actor`].
//! Signing and checking tokens is the API's business; who the token names is checked here.

pub mod signing_keys;

use crate::engine::Engine;
use crate::error::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use lianban_entity::staff;
use lianban_rules::policy::Actor;
use lianban_rules::roles::RoleSet;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::OnceLock;
use uuid::Uuid;

/// Hashes a password with argon2id and a fresh salt (PHC string).
///
/// # Errors
/// `INTERNAL` when hashing fails.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Internal(format!("password hash: {e}")))
}

/// Whether `password` matches the stored PHC `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The same message for an unknown user and a wrong password, so neither can be probed.
const BAD_LOGIN: &str = "wrong username or password";

/// A real hash of a random secret, verified against when the user is unknown so that both
/// paths cost one argon2 verification.
fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY
        .get_or_init(|| hash_password(&Uuid::now_v7().to_string()).unwrap_or_default())
        .clone()
}

impl Engine {
    /// Checks a username and password; returns the staff member.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for an unknown or inactive user or a wrong password;
    /// `INVALID_INPUT` for oversized input.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<&str>,
    ) -> Result<crate::views::StaffView> {
        let username = lianban_rules::validate::required(
            "username",
            username,
            lianban_rules::validate::MAX_SHORT,
        )?;
        if password.chars().count() > 256 {
            return Err(Error::invalid("password", "at most 256 characters"));
        }
        let keys = lianban_rules::throttle::sign_in_keys(&username, address);
        // Counted before the password is checked: parallel guesses queue on the counter.
        self.claim_sign_in(&keys).await?;
        let found = staff::Entity::find()
            .filter(staff::Column::Username.eq(username.as_str()))
            .one(self.db())
            .await?;
        let hash = found
            .as_ref()
            .map_or_else(decoy_hash, |s| s.password_hash.clone());
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
            .await
            .map_err(|e| Error::Internal(format!("password check: {e}")))?;
        match found {
            Some(staff) if matches && staff.active => {
                self.sign_in_succeeded(&keys).await?;
                crate::views::StaffView::try_from(staff)
            }
            _ => Err(Error::Unauthenticated(BAD_LOGIN.to_owned())),
        }
    }

    /// The actor behind a signed-in staff id.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when the staff member no longer exists or is inactive.
    pub async fn actor(&self, staff_id: Uuid) -> Result<Actor> {
        let staff = staff::Entity::find_by_id(staff_id)
            .one(self.db())
            .await?
            .filter(|s| s.active)
            .ok_or_else(|| Error::Unauthenticated("this account is no longer active".to_owned()))?;
        actor_of(&staff)
    }

    /// The actor behind a request's signed-in staff id, read at most once per
    /// [`SESSION_TTL`] per staff member (a portal sends many requests a minute; each would read
    /// the same row). An account deactivated or changed in the database is seen within that
    /// time; a subscription re-checks with [`Engine::actor`] on every batch.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` when the staff member no longer exists or is inactive.
    pub async fn session_actor(&self, staff_id: Uuid) -> Result<Actor> {
        if let Some(actor) = self.sessions.get(staff_id) {
            return Ok(actor);
        }
        let actor = self.actor(staff_id).await?;
        self.sessions.put(actor.clone());
        Ok(actor)
    }
}

/// How long a request's actor is kept for the next requests of the same staff member.
pub const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// The actors of recent requests (see [`Engine::session_actor`]).
#[derive(Debug, Default)]
pub(crate) struct Sessions(
    std::sync::Mutex<std::collections::HashMap<Uuid, (Actor, std::time::Instant)>>,
);

impl Sessions {
    /// At most this many are kept; beyond it the stale ones go, then all.
    const MAX: usize = 10_000;

    fn get(&self, staff_id: Uuid) -> Option<Actor> {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(&staff_id)
            .filter(|(_, at)| at.elapsed() < SESSION_TTL)
            .map(|(actor, _)| actor.clone())
    }

    fn put(&self, actor: Actor) {
        let mut kept = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.len() >= Self::MAX {
            kept.retain(|_, (_, at)| at.elapsed() < SESSION_TTL);
            if kept.len() >= Self::MAX {
                kept.clear();
            }
        }
        kept.insert(actor.staff_id, (actor, std::time::Instant::now()));
    }
}

/// The actor a staff row stands for.
///
/// # Errors
/// `INTERNAL` when the stored roles are corrupt.
pub fn actor_of(staff: &staff::Model) -> Result<Actor> {
    let roles = RoleSet::parse(&staff.roles)
        .map_err(|e| Error::Internal(format!("staff {} roles: {e}", staff.id)))?;
    Ok(Actor {
        staff_id: staff.id,
        department_id: staff.department_id,
        roles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("Lianban@2026").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "Lianban@2026"));
        assert!(!verify_password(&hash, "lianban@2026"));
        assert!(!verify_password(&decoy_hash(), ""));
        assert!(!verify_password("not a hash", "x"));
    }
}
