//! 登录与账号 — passwords (argon2id), sign-in and its log, sessions, password changes and
//! resets, and turning a session into an [`Actor`]. Signing and checking tokens is the API's
//! business; whether the session a token names is still open is checked here.

pub mod links;
pub mod passwords;
pub mod sessions;
pub mod sign_in;
pub mod signing_keys;
pub mod sso;

pub use passwords::{ResetMethod, ResetOutcome};
pub(crate) use sessions::Sessions;
pub use sessions::{SESSION_TTL, SessionState};
pub use sign_in::{SignInFilter, SignInView, SignedIn};

use crate::error::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use lianban_entity::staff;
use lianban_rules::policy::Actor;
use lianban_rules::roles::RoleSet;
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
pub(crate) const BAD_LOGIN: &str = "wrong username or password";

/// A real hash of a random secret, verified against when the user is unknown so that both
/// paths cost one argon2 verification.
pub(crate) fn decoy_hash() -> String {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY
        .get_or_init(|| hash_password(&Uuid::now_v7().to_string()).unwrap_or_default())
        .clone()
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
