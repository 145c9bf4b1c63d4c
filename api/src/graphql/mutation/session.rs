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
    /// Signs in; returns a token for the `Authorization: Bearer` header. After five wrong
    /// passwords for one username, or twenty from one address, within 15 minutes, further
    /// attempts are refused for the rest of the window (`UNAUTHENTICATED` with `extensions.retryAfterSeconds`).
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
        let (token, expires_at) = ctx.data::<Tokens>()?.issue(staff.id, engine.now()).gql()?;
        Ok(LoginPayload {
            token,
            expires_at,
            me: Staff(staff),
        })
    }
}
