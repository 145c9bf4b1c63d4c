//! 令牌 — signed sign-in tokens (HS256 JWT).
//!
//! Keys: the installation's own, generated on first start and kept in its database
//! ([`Engine::signing_keys`]), unless the settings name a `jwt_secret` (several installations
//! sharing one key). A token names its key in the `kid` header; the newest key signs, and a key
//! that was rotated out still verifies the tokens it signed before the rotation until they
//! expire. A token must carry this installation's `iss`, the `aud` [`AUDIENCE`], `sub`, `iat` and
//! `exp`, with `exp` no further than the configured lifetime; expiry is checked against the
//! injected clock, not the library's reading of the system time.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use lianban_engine::access::signing_keys::SigningKey;
use lianban_engine::{Engine, Error};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};
use std::time::Instant;
use uuid::Uuid;

/// The audience every Lianban token names.
pub const AUDIENCE: &str = "lianban-api";

/// The `kid` of tokens signed with a configured `jwt_secret`.
const CONFIGURED_KID: &str = "configured";

/// How long after a rotation the old key may still have signed (another process learns of the
/// new key at its next sign-in, and reloads at least this often).
const ROTATION_GRACE: Duration = Duration::minutes(5);

/// Clock skew allowed between processes for `iat`.
const SKEW: Duration = Duration::seconds(60);

/// The least time between two reloads of the keys for an unknown `kid` (a flood of forged ids
/// must not become a flood of queries).
const RELOAD_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    /// The session this sign-in opened (signing out ends it).
    sid: Uuid,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

/// A checked token: who, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The staff member it names.
    pub staff_id: Uuid,
    /// The session it belongs to.
    pub session_id: Uuid,
    /// When it expires.
    pub expires: DateTime<Utc>,
}

/// Where the keys come from.
#[derive(Clone)]
enum Source {
    /// The settings' `jwt_secret`.
    Configured,
    /// The installation's database.
    Installation(Engine),
}

struct LoadedKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// When the next key took over (`None` for the newest).
    superseded_at: Option<DateTime<Utc>>,
}

impl LoadedKey {
    fn from_secret(kid: &str, secret: &[u8], superseded_at: Option<DateTime<Utc>>) -> Self {
        LoadedKey {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            superseded_at,
        }
    }
}

#[derive(Default)]
struct KeySet {
    /// Newest first.
    keys: Vec<LoadedKey>,
    loaded: Option<Instant>,
}

fn key_set(keys: &[SigningKey]) -> Vec<LoadedKey> {
    // Newest first: each key is superseded when the one before it in the list was made.
    let mut superseded_at = None;
    keys.iter()
        .map(|k| {
            let loaded = LoadedKey::from_secret(&k.kid, &k.secret, superseded_at);
            superseded_at = Some(k.created_at);
            loaded
        })
        .collect()
}

/// Issues and checks tokens (cheap to clone).
#[derive(Clone)]
pub struct Tokens {
    source: Source,
    issuer: Arc<str>,
    ttl: Duration,
    keys: Arc<RwLock<KeySet>>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("issuer", &self.issuer)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

fn unauthenticated(message: &str) -> Error {
    Error::Unauthenticated(message.to_owned())
}

impl Tokens {
    /// Tokens signed with the configured `secret` (at least 32 bytes, checked by the settings).
    pub fn configured(secret: &SecretString, issuer: &str, ttl_minutes: u32) -> Self {
        let key = LoadedKey::from_secret(CONFIGURED_KID, secret.expose_secret().as_bytes(), None);
        Tokens {
            source: Source::Configured,
            issuer: issuer.into(),
            ttl: Duration::minutes(i64::from(ttl_minutes)),
            keys: Arc::new(RwLock::new(KeySet {
                keys: vec![key],
                loaded: Some(Instant::now()),
            })),
        }
    }

    /// Tokens signed with the installation's keys in `engine`'s database (loaded, or generated,
    /// at first use).
    pub fn installation(engine: Engine, issuer: &str, ttl_minutes: u32) -> Self {
        Tokens {
            source: Source::Installation(engine),
            issuer: issuer.into(),
            ttl: Duration::minutes(i64::from(ttl_minutes)),
            keys: Arc::default(),
        }
    }

    /// How long a token lasts.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Reads the installation's keys from the database (generating the first on a new
    /// installation). Nothing to do for a configured secret.
    ///
    /// # Errors
    /// `INTERNAL` when the keys cannot be read.
    pub async fn reload(&self) -> Result<(), Error> {
        let Source::Installation(engine) = &self.source else {
            return Ok(());
        };
        let keys = engine.signing_keys().await?;
        let mut set = self.keys.write().unwrap_or_else(|p| p.into_inner());
        *set = KeySet {
            keys: key_set(&keys),
            loaded: Some(Instant::now()),
        };
        Ok(())
    }

    fn reload_due(&self) -> bool {
        matches!(self.source, Source::Installation(_))
            && self
                .keys
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .loaded
                .is_none_or(|at| at.elapsed() >= RELOAD_EVERY)
    }

    /// A token for `staff_id` issued at `now`, and when it expires. Signed by the newest key
    /// (re-read first, so a rotation by another process takes effect at once).
    ///
    /// # Errors
    /// `INTERNAL` when the keys cannot be read or signing fails.
    pub async fn issue(
        &self,
        staff_id: Uuid,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), Error> {
        self.reload().await?;
        let expires = now + self.ttl;
        let claims = Claims {
            sub: staff_id,
            sid: session_id,
            iat: now.timestamp(),
            exp: expires.timestamp(),
            iss: self.issuer.to_string(),
            aud: AUDIENCE.to_owned(),
        };
        let set = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let key = set
            .keys
            .first()
            .ok_or_else(|| Error::Internal("no signing key".into()))?;
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid.clone());
        let token = encode(&header, &claims, &key.encoding)
            .map_err(|e| Error::Internal(format!("token signing: {e}")))?;
        Ok((token, expires))
    }

    /// Who a token names and until when, if it is genuine, ours and unexpired at `now`.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a forged, malformed, foreign or expired token; `INTERNAL` when the
    /// keys cannot be read.
    pub async fn check(&self, token: &str, now: DateTime<Utc>) -> Result<Verified, Error> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| unauthenticated("the sign-in token is not valid; sign in again"))?;
        let kid = header.kid.unwrap_or_default();
        let known = |tokens: &Tokens| {
            tokens
                .keys
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .keys
                .iter()
                .any(|k| k.kid == kid)
        };
        if !known(self) && self.reload_due() {
            self.reload().await?;
        }
        self.check_loaded(token, &kid, now)
    }

    fn check_loaded(&self, token: &str, kid: &str, now: DateTime<Utc>) -> Result<Verified, Error> {
        let invalid = || unauthenticated("the sign-in token is not valid; sign in again");
        let set = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let key = set.keys.iter().find(|k| k.kid == kid).ok_or_else(invalid)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[&*self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        // `sid` is required by `Claims` itself: a token without a session is refused.
        let claims = decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|_| invalid())?
            .claims;
        let issued = DateTime::from_timestamp(claims.iat, 0).ok_or_else(invalid)?;
        let expires = DateTime::from_timestamp(claims.exp, 0).ok_or_else(invalid)?;
        if expires <= now {
            return Err(unauthenticated(
                "the sign-in token has expired; sign in again",
            ));
        }
        if issued > now + SKEW || expires - issued > self.ttl || expires > now + self.ttl + SKEW {
            return Err(invalid());
        }
        if let Some(superseded) = key.superseded_at
            && issued > superseded + ROTATION_GRACE
        {
            return Err(invalid());
        }
        Ok(Verified {
            staff_id: claims.sub,
            session_id: claims.sid,
            expires,
        })
    }
}

#[cfg(test)]
mod tests;
