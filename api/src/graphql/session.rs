//! Who is asking: the bearer token of the request, turned into an engine [`Actor`] once.

use crate::graphql::errors::Gql;
use crate::token::{Tokens, Verified};
use async_graphql::Context;
use chrono::{DateTime, Utc};
use lianban_engine::access::SessionState;
use lianban_engine::{Actor, Engine, Error};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// The request's sign-in state.
#[derive(Debug)]
pub struct Session {
    staff: Result<Option<Verified>, String>,
    state: OnceCell<SessionState>,
    /// The client's network address (sign-in attempts and anonymous requests are limited per
    /// address), as the trusted proxies report it.
    address: Option<String>,
}

impl Session {
    /// Reads `Authorization: Bearer …` (absent → anonymous; bad → remembered as an error that
    /// surfaces when a resolver needs the actor).
    pub async fn from_header(header: Option<&str>, tokens: &Tokens, now: DateTime<Utc>) -> Self {
        let staff = match header {
            None => Ok(None),
            Some(value) => match value.strip_prefix("Bearer ") {
                Some(token) => tokens
                    .check(token.trim(), now)
                    .await
                    .map(Some)
                    .map_err(|e| e.to_string()),
                None => Err("the Authorization header must be `Bearer <token>`".to_owned()),
            },
        };
        Session {
            staff,
            state: OnceCell::new(),
            address: None,
        }
    }

    /// The same session, from the client at `address`.
    pub fn from_address(self, address: std::net::IpAddr) -> Self {
        Session {
            address: Some(address.to_string()),
            ..self
        }
    }

    /// The client's network address, when known.
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }

    /// The signed-in staff member's id, `None` when anonymous.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a bad or expired token.
    pub fn staff_id(&self) -> Result<Option<Uuid>, Error> {
        Ok(self.verified()?.map(|v| v.staff_id))
    }

    /// The checked token, `None` when anonymous.
    ///
    /// # Errors
    /// `UNAUTHENTICATED` for a bad or expired token.
    pub fn verified(&self) -> Result<Option<Verified>, Error> {
        self.staff.clone().map_err(Error::Unauthenticated)
    }
}

/// The request's open session, loaded once per request (whether or not its password must
/// be changed first).
///
/// # Errors
/// `UNAUTHENTICATED` without a valid token or an open session.
pub async fn account<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a SessionState> {
    let session = ctx.data::<Session>()?;
    let engine = ctx.data::<Engine>()?;
    session
        .state
        .get_or_try_init(|| async {
            match &session.staff {
                Ok(Some(verified)) => engine.session(verified.session_id, verified.staff_id).await,
                Ok(None) => Err(Error::Unauthenticated(
                    "sign in first: send Authorization: Bearer <token from login>".to_owned(),
                )),
                Err(message) => Err(Error::Unauthenticated(message.clone())),
            }
        })
        .await
        .gql()
}

/// The signed-in actor, loaded once per request.
///
/// # Errors
/// `UNAUTHENTICATED` without a valid token or an open session; `FORBIDDEN` while a temporary
/// password waits to be changed.
pub async fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    account(ctx).await?.working_actor().gql()
}

/// The signed-in actor, or `None` for an anonymous request (a bad token is still an error).
///
/// # Errors
/// `UNAUTHENTICATED` for a bad token.
pub async fn optional_actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<Option<&'a Actor>> {
    match ctx.data::<Session>()?.staff {
        Ok(None) => Ok(None),
        _ => actor(ctx).await.map(Some),
    }
}
