//! `login`.

use crate::graphql::errors::Gql;
use crate::graphql::types::{Staff, engine};
use crate::token::Tokens;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

/// Signing in.
#[derive(Default)]
pub struct SessionMutation;

/// A signed-in session.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: DateTime<Utc>,
    me: Staff,
}

#[Object]
impl SessionMutation {
    /// Signs in; returns a token for the `Authorization: Bearer` header. Each attempt is
    /// counted before the password is checked. After five wrong passwords for one account from
    /// one address, the next waits 1 s, then 2 s, 4 s … up to 15 minutes; many failures for an
    /// account from everywhere, or from one address over many accounts, add a wait of at most
    /// a minute — except for an account signing in from an address it used before. A refusal
    /// is `UNAUTHENTICATED` with `extensions.retryAfterSeconds`.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        let engine = engine(ctx)?;
        let address = ctx
            .data_opt::<crate::graphql::Session>()
            .and_then(|s| s.address());
        let staff = engine.login(&username, &password, address).await.gql()?;
        let (token, expires_at) = ctx
            .data::<Tokens>()?
            .issue(staff.id, engine.now())
            .await
            .gql()?;
        Ok(LoginPayload {
            token,
            expires_at,
            me: Staff::own(staff),
        })
    }
}
