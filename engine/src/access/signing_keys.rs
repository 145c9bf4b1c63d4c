//! 签名密钥 — the installation's own keys for signing sign-in tokens. There is no shared
//! secret: on first start the installation generates a random 256-bit key and keeps it in its
//! database, which every `serve` and `worker` process of the installation reads.
//! [`Engine::rotate_signing_key`] adds a newer key; tokens signed by the one before stay valid
//! until they expire (the API checks that), new tokens are signed by the new key.

use crate::engine::Engine;
use crate::error::{Error, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use lianban_entity::signing_key;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};

/// Bytes of randomness in a key (256 bits).
pub const KEY_BYTES: usize = 32;

/// A key as the API uses it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// 1 for the first key, one more per rotation.
    pub generation: i32,
    /// The id a token names in its `kid` header.
    pub kid: String,
    /// The secret bytes.
    pub secret: Vec<u8>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("generation", &self.generation)
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn new_key(generation: i32, now: DateTime<Utc>) -> signing_key::ActiveModel {
    signing_key::ActiveModel {
        generation: Set(generation),
        kid: Set(random_hex(8)),
        secret: Set(random_hex(KEY_BYTES)),
        created_at: Set(now),
    }
}

fn to_key(row: signing_key::Model) -> Result<SigningKey> {
    let secret = from_hex(&row.secret)
        .filter(|s| s.len() >= KEY_BYTES)
        .ok_or_else(|| {
            Error::Internal(format!(
                "signing key {} is not {KEY_BYTES} hex bytes",
                row.kid
            ))
        })?;
    Ok(SigningKey {
        generation: row.generation,
        kid: row.kid,
        secret,
        created_at: row.created_at,
    })
}

impl Engine {
    /// The installation's signing keys, newest first. The first call on a new installation
    /// generates its first key (several processes starting at once agree on one).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault or a stored key that is not a key.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>> {
        let rows = signing_key::Entity::find()
            .order_by_desc(signing_key::Column::Generation)
            .all(self.db())
            .await?;
        if !rows.is_empty() {
            return rows.into_iter().map(to_key).collect();
        }
        signing_key::Entity::insert(new_key(1, self.now()))
            .on_conflict(
                OnConflict::column(signing_key::Column::Generation)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(self.db())
            .await?;
        signing_key::Entity::find()
            .order_by_desc(signing_key::Column::Generation)
            .all(self.db())
            .await?
            .into_iter()
            .map(to_key)
            .collect()
    }

    /// Makes a new key the one that signs; the keys before it keep verifying what they signed.
    ///
    /// # Errors
    /// `CONFLICT` when another rotation made the same generation at the same moment;
    /// `INTERNAL` on a database fault.
    pub async fn rotate_signing_key(&self) -> Result<SigningKey> {
        let current = self.signing_keys().await?;
        let next = current.first().map_or(1, |k| k.generation + 1);
        let (_gate, txn) = self.begin_write().await?;
        let inserted = signing_key::Entity::insert(new_key(next, self.now()))
            .on_conflict(
                OnConflict::column(signing_key::Column::Generation)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 0 {
            return Err(Error::Conflict(
                "another rotation made a new key at the same moment; run it again if needed".into(),
            ));
        }
        txn.commit().await?;
        let key = signing_key::Entity::find_by_id(next)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::Internal("the new signing key vanished".into()))?;
        tracing::info!(kid = %key.kid, generation = next, "signing key rotated");
        to_key(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_256_random_bits_in_hex() {
        let a = random_hex(KEY_BYTES);
        let b = random_hex(KEY_BYTES);
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(from_hex(&a).unwrap().len(), KEY_BYTES);
        assert_eq!(from_hex("0aff").unwrap(), vec![10, 255]);
        assert!(from_hex("0g").is_none());
        assert!(from_hex("abc").is_none());
    }
}
