//! Signing in and out, and one's own password: `login`, `logout`, `changePassword`,
//! `setPasswordFromLink`.

use crate::graphql::errors::Gql;
use crate::graphql::session::account;
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
    /// Signed in with a temporary password: until `changePassword`, every other operation is
    /// refused with `FORBIDDEN`.
    must_change_password: bool,
    me: Staff,
}

fn address<'a>(ctx: &'a Context<'_>) -> Option<&'a str> {
    ctx.data_opt::<crate::graphql::Session>()
        .and_then(|s| s.address())
}

/// The token of a checked sign-in.
///
/// # Errors
/// `INTERNAL` when no key can sign.
pub(crate) async fn payload(
    ctx: &Context<'_>,
    signed_in: lianban_engine::access::SignedIn,
) -> async_graphql::Result<LoginPayload> {
    let engine = engine(ctx)?;
    let (token, expires_at) = ctx
        .data::<Tokens>()?
        .issue(signed_in.staff.id, signed_in.session_id, engine.now())
        .await
        .gql()?;
    Ok(LoginPayload {
        token,
        expires_at,
        must_change_password: signed_in.must_change_password,
        me: Staff::own(signed_in.staff),
    })
}

#[Object]
impl SessionMutation {
    /// Signs in; returns a token for the `Authorization: Bearer` header. Each attempt is
    /// counted before the password is checked. After five wrong passwords for one account from
    /// one address, the next waits 1 s, then 2 s, 4 s … up to 15 minutes; many failures for an
    /// account from everywhere, or from one address over many accounts, add a wait of at most
    /// a minute — except for an account signing in from an address it used before. A refusal
    /// is `UNAUTHENTICATED` with `extensions.retryAfterSeconds`. Every attempt is in the
    /// sign-in log. `FORBIDDEN` when password sign-in is switched off (single sign-on only).
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        let engine = engine(ctx)?;
        let until = engine.now() + ctx.data::<Tokens>()?.ttl();
        let signed_in = engine
            .login(&username, &password, address(ctx), until)
            .await
            .gql()?;
        payload(ctx, signed_in).await
    }

    /// 退出登录 — ends this sign-in: its token stops working at once.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        account(ctx).await?;
        let session = ctx.data::<crate::graphql::Session>()?;
        let Some(verified) = session.verified().gql()? else {
            return Ok(false);
        };
        engine(ctx)?
            .sign_out(verified.session_id, verified.staff_id)
            .await
            .gql()?;
        Ok(true)
    }

    /// 修改密码 — changes the signed-in person's password (also the way out of a temporary
    /// one). At least 10 characters, no composition rules, not one of the commonest passwords
    /// or built from the username or name. Every other sign-in of theirs ends; this one goes on.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        account(ctx).await?;
        let session = ctx.data::<crate::graphql::Session>()?;
        let Some(verified) = session.verified().gql()? else {
            return Ok(false);
        };
        engine(ctx)?
            .change_password(
                verified.staff_id,
                verified.session_id,
                &current_password,
                &new_password,
                address(ctx),
            )
            .await
            .gql()?;
        Ok(true)
    }

    /// Sets a password from the one-time link a centre admin had mailed (the link's secret is
    /// what follows `#` in it). Returns the account to sign in as; every earlier sign-in of
    /// theirs has ended. `INVALID_STATE` for a used, expired or unknown link.
    async fn set_password_from_link(
        &self,
        ctx: &Context<'_>,
        token: String,
        new_password: String,
    ) -> async_graphql::Result<Staff> {
        let person = engine(ctx)?
            .set_password_from_link(&token, &new_password)
            .await
            .gql()?;
        Ok(Staff::own(person))
    }
}
