//! The centre admin's work on accounts: resetting a password, ending a person's sessions.

use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{engine, parse_id};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::access::ResetMethod;

/// Accounts.
#[derive(Default)]
pub struct AccountsMutation;

/// How a password is reset.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "ResetMethod")]
pub enum PasswordReset {
    /// A one-time link mailed to the person (valid 24 hours); they set the new password, and
    /// the old one works until then.
    Link,
    /// A temporary password, shown here once: the person's sessions end and they must change
    /// it at their next sign-in.
    Temporary,
}

/// What a reset did.
#[derive(SimpleObject)]
pub struct PasswordResetPayload {
    /// The temporary password (for `TEMPORARY`; shown once, never stored).
    temporary_password: Option<String>,
    /// Until when the mailed link works (for `LINK`).
    link_expires_at: Option<DateTime<Utc>>,
}

#[Object]
impl AccountsMutation {
    /// 重置密码 — resets a person's password (centre admin).
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        staff_id: ID,
        method: PasswordReset,
    ) -> async_graphql::Result<PasswordResetPayload> {
        let actor = actor(ctx).await?;
        let staff_id = parse_id("staffId", &staff_id)?;
        let outcome = engine(ctx)?
            .reset_password(actor, staff_id, method.into())
            .await
            .gql()?;
        Ok(PasswordResetPayload {
            temporary_password: outcome.temporary_password,
            link_expires_at: outcome.link_expires_at,
        })
    }

    /// Ends every sign-in of a person (centre admin): their tokens stop working and their
    /// live subscriptions close. Returns how many sessions were open.
    async fn end_sessions(&self, ctx: &Context<'_>, staff_id: ID) -> async_graphql::Result<u64> {
        let actor = actor(ctx).await?;
        let staff_id = parse_id("staffId", &staff_id)?;
        engine(ctx)?.end_sessions(actor, staff_id).await.gql()
    }
}
