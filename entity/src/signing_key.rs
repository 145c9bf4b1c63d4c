//! 签名密钥 — a key that signs sign-in tokens. The highest generation signs; an older one still
//! verifies the tokens it signed until they expire.

use sea_orm::entity::prelude::*;

#[derive(Clone, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    /// 1 for the installation's first key, then one more per rotation.
    #[sea_orm(primary_key, auto_increment = false)]
    pub generation: i32,
    /// The key's id, carried in a token's `kid` header.
    pub kid: String,
    /// The secret: 32 random bytes (256 bits) as lowercase hex.
    pub secret: String,
    pub created_at: DateTimeUtc,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("signing_key::Model")
            .field("generation", &self.generation)
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
