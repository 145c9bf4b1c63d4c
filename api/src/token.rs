//! 令牌 — signed sign-in tokens (HS256 JWT). The expiry is checked against the injected clock,
//! not the library's own reading of the system time.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use lianban_engine::Error;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    iat: i64,
    exp: i64,
}

/// Issues and checks tokens with one secret.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// Tokens signed with `secret`, valid for `ttl_minutes`.
    pub fn new(secret: &SecretString, ttl_minutes: u32) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        Tokens {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            ttl: Duration::minutes(i64::from(ttl_minutes)),
        }
    }

    /// A token for `staff_id` issued at `now`, and when it expires.
    ///
    /// # Errors
    /// `INTERNAL` when signing fails.
    pub fn issue(
        &self,
        staff_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), Error> {
        let expires = now + self.ttl;
        let claims = Claims {
            sub: staff_id,
            iat: now.timestamp(),
            exp: expires.timestamp(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(format!("token signing: {e}")))?;
        Ok((token, expires))
    }

    /// The staff id a token names, if it is genuine and unexpired at `now`.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a forged, malformed or expired token.
    pub fn check(&self, token: &str, now: DateTime<Utc>) -> Result<Uuid, Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| {
                Error::Unauthenticated("the sign-in token is not valid; sign in again".into())
            })?
            .claims;
        if claims.exp <= now.timestamp() {
            return Err(Error::Unauthenticated(
                "the sign-in token has expired; sign in again".into(),
            ));
        }
        Ok(claims.sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_token_names_its_staff_until_it_expires() {
        let tokens = Tokens::new(&SecretString::from("s".repeat(32)), 60);
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        let staff = Uuid::now_v7();
        let (token, expires) = tokens.issue(staff, now).unwrap();
        assert_eq!(expires, now + Duration::minutes(60));
        assert_eq!(
            tokens.check(&token, now + Duration::minutes(59)).unwrap(),
            staff
        );
        let late = tokens
            .check(&token, now + Duration::minutes(60))
            .unwrap_err();
        assert_eq!(late.code(), "UNAUTHENTICATED");
        let other = Tokens::new(&SecretString::from("t".repeat(32)), 60);
        assert_eq!(
            other.check(&token, now).unwrap_err().code(),
            "UNAUTHENTICATED"
        );
        assert_eq!(
            tokens.check("garbage", now).unwrap_err().code(),
            "UNAUTHENTICATED"
        );
    }
}
