//! The sign-in log.

use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::access::SignInView;

/// How a sign-in was made.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::accounts::SignInMethod")]
pub enum SignInMethod {
    /// Username and password.
    Password,
    /// 统一身份认证 (OpenID Connect).
    Sso,
}

/// How a sign-in attempt ended.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "lianban_rules::accounts::SignInOutcome")]
pub enum SignInOutcome {
    /// Signed in.
    SignedIn,
    /// Signed in with a temporary password, which must be changed first.
    MustChangePassword,
    /// A wrong password for a known account.
    WrongPassword,
    /// No account has this username (or single sign-on identity).
    UnknownAccount,
    /// The account is deactivated.
    Deactivated,
    /// Refused for too many failures, before the password was checked.
    Throttled,
    /// Password sign-in is switched off.
    PasswordSignInOff,
    /// The single sign-on provider's answer could not be checked.
    SsoFailed,
}

/// 登录日志 — one sign-in attempt.
#[derive(SimpleObject)]
pub struct SignIn {
    id: ID,
    at: DateTime<Utc>,
    /// The username as given (or the single sign-on identity).
    username: String,
    /// The account, when the attempt named one.
    staff_id: Option<ID>,
    /// The client's address, as the trusted proxies report it.
    address: Option<String>,
    method: SignInMethod,
    outcome: SignInOutcome,
}

impl From<SignInView> for SignIn {
    fn from(v: SignInView) -> Self {
        SignIn {
            id: v.id.into(),
            at: v.at,
            username: v.username,
            staff_id: v.staff_id.map(Into::into),
            address: v.address,
            method: v.method.into(),
            outcome: v.outcome.into(),
        }
    }
}
