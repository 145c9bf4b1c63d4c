//! 统一身份认证 — single sign-on through an OpenID Connect provider (authorization code flow
//! with PKCE, by the `openidconnect` crate): `GET /auth/sso` sends the browser to the provider
//! with a fresh state, nonce and PKCE challenge (kept in the database by the engine, so any
//! process can finish it); `GET /auth/sso/callback` exchanges the code, checks the ID token
//! (signature, issuer, audience, expiry, nonce), and signs in the account linked to the
//! identity. The attempt is bound to the browser that began it: `/auth/sso` sets an HttpOnly
//! cookie holding the attempt's state, and the callback is refused without it (a callback
//! address copied to another browser, or one forced on a victim, signs nobody in). The token
//! never travels in an address: the callback keeps it in a short-lived HttpOnly cookie that
//! only `POST /auth/sso/token` reads, once, for the sign-in page. Every refusal goes back as
//! `/?sso_error=<reason>` and into the sign-in log.

use crate::settings::{SsoSettings, SubjectClaim};
use crate::startup::AppState;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The client built from the provider's published metadata.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long the provider's metadata (and keys) are trusted before they are read again.
const METADATA_TTL: Duration = Duration::from_secs(600);

/// The cookie that binds an attempt to its browser (its value: the attempt's state).
const STATE_COOKIE: &str = "lianban_sso_state";
/// The cookie that hands the signed-in token to the sign-in page, once.
const TOKEN_COOKIE: &str = "lianban_sso_token";

/// Single sign-on, when `sso.issuer_url` is set.
pub struct SingleSignOn {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: ClientSecret,
    redirect: RedirectUrl,
    claim: SubjectClaim,
    /// Cookies only over HTTPS when the public address is HTTPS.
    secure: bool,
    http: openidconnect::reqwest::Client,
    metadata: Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

impl std::fmt::Debug for SingleSignOn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleSignOn")
            .field("issuer", &self.issuer.as_str())
            .finish_non_exhaustive()
    }
}

impl SingleSignOn {
    /// Single sign-on as the settings set it up, or `None` when they do not.
    ///
    /// # Errors
    /// A malformed issuer or redirect address, or no HTTP client.
    pub fn from_settings(sso: &SsoSettings, base_url: &str) -> anyhow::Result<Option<Self>> {
        let Some(issuer) = &sso.issuer_url else {
            return Ok(None);
        };
        let secret = sso
            .client_secret
            .as_ref()
            .map(|s| s.expose_secret().to_owned())
            .unwrap_or_default();
        let http = openidconnect::reqwest::ClientBuilder::new()
            // The provider's redirects are not followed (SSRF), as the crate advises.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Some(SingleSignOn {
            issuer: IssuerUrl::new(issuer.clone())?,
            client_id: ClientId::new(sso.client_id.clone()),
            client_secret: ClientSecret::new(secret),
            redirect: RedirectUrl::new(format!(
                "{}/auth/sso/callback",
                base_url.trim_end_matches('/')
            ))?,
            claim: sso.subject_claim,
            secure: base_url.starts_with("https://"),
            http,
            metadata: Mutex::new(None),
        }))
    }

    /// The client, from the provider's metadata (read at most every [`METADATA_TTL`]; read
    /// again at once after a failure).
    async fn client(&self) -> anyhow::Result<Client> {
        let mut kept = self.metadata.lock().await;
        let fresh = kept
            .as_ref()
            .filter(|(_, at)| at.elapsed() < METADATA_TTL)
            .map(|(m, _)| m.clone());
        let metadata = match fresh {
            Some(metadata) => metadata,
            None => {
                let metadata =
                    CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http).await?;
                *kept = Some((metadata.clone(), Instant::now()));
                metadata
            }
        };
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            Some(self.client_secret.clone()),
        )
        .set_redirect_uri(self.redirect.clone()))
    }

    /// Forgets the metadata (after a failure that new keys may explain).
    async fn forget(&self) {
        *self.metadata.lock().await = None;
    }
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// A `Set-Cookie` value: HttpOnly, for `path`, living `seconds` (0 clears it).
fn cookie(
    name: &str,
    value: &str,
    path: &str,
    seconds: u32,
    strict: bool,
    secure: bool,
) -> HeaderValue {
    let same_site = if strict { "Strict" } else { "Lax" };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={seconds}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of cookie `name` in a request.
fn cookie_of(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn with_cookie(mut response: Response, value: HeaderValue) -> Response {
    response.headers_mut().append(header::SET_COOKIE, value);
    response
}

fn refused(reason: &str) -> Response {
    redirect(&format!("/?sso_error={reason}"))
}

/// `GET /auth/sso`: to the provider's sign-in page.
pub async fn start(State(state): State<AppState>) -> Response {
    let Some(sso) = state.sso.clone() else {
        return refused("off");
    };
    let client = match sso.client().await {
        Ok(client) => client,
        Err(err) => {
            tracing::warn!(error = %err, "single sign-on: the provider's metadata cannot be read");
            return refused("unavailable");
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    if let Err(err) = state
        .engine
        .begin_sso_attempt(csrf.secret(), verifier.secret(), nonce.secret())
        .await
    {
        tracing::error!(error = %err, "single sign-on: the attempt cannot be kept");
        return refused("unavailable");
    }
    // Lax: the provider's redirect back is a top-level navigation, which carries it.
    with_cookie(
        redirect(url.as_str()),
        cookie(
            STATE_COOKIE,
            csrf.secret(),
            "/auth/sso",
            600,
            false,
            sso.secure,
        ),
    )
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/sso/callback`: the provider's answer.
pub async fn callback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    let Some(sso) = state.sso.clone() else {
        return refused("off");
    };
    let address = crate::client::client_address(peer.ip(), &headers, &state.proxies).to_string();
    let address = Some(address.as_str());
    let engine = &state.engine;
    if let Some(error) = &answer.error {
        let _ = engine
            .sso_failed(
                &format!("provider: {}", error.chars().take(40).collect::<String>()),
                address,
            )
            .await;
        return refused("denied");
    }
    let (Some(code), Some(csrf)) = (answer.code, answer.state) else {
        return refused("failed");
    };
    let clear_state = cookie(STATE_COOKIE, "", "/auth/sso", 0, false, sso.secure);
    // Only the browser that began this sign-in may finish it.
    if cookie_of(&headers, STATE_COOKIE).as_deref() != Some(csrf.as_str()) {
        let _ = engine
            .sso_failed("a callback from a browser that did not begin it", address)
            .await;
        return with_cookie(refused("expired"), clear_state);
    }
    let Ok((verifier, nonce)) = engine.finish_sso_attempt(&csrf).await else {
        return with_cookie(refused("expired"), clear_state);
    };
    let subject = match identity(&sso, code, verifier, nonce).await {
        Ok(subject) => subject,
        Err(err) => {
            tracing::warn!(error = %err, "single sign-on: the provider's answer was not accepted");
            sso.forget().await;
            let _ = engine
                .sso_failed("the ID token was not accepted", address)
                .await;
            return refused("failed");
        }
    };
    let until = engine.now() + state.tokens.ttl();
    let signed_in = match engine.sign_in_sso(&subject, address, until).await {
        Ok(signed_in) => signed_in,
        Err(err) if err.to_string().contains("no longer active") => return refused("deactivated"),
        Err(_) => return refused("unknown"),
    };
    match state
        .tokens
        .issue(signed_in.staff.id, signed_in.session_id, engine.now())
        .await
    {
        Ok((token, _)) => {
            let handed = cookie(
                TOKEN_COOKIE,
                &token,
                "/auth/sso/token",
                60,
                true,
                sso.secure,
            );
            with_cookie(with_cookie(redirect("/?sso=done"), handed), clear_state)
        }
        Err(err) => {
            tracing::error!(error = %err, "single sign-on: no token could be signed");
            refused("failed")
        }
    }
}

/// `POST /auth/sso/token`: the token a single sign-on just made, once, for the sign-in page
/// (`{"token": …}`; 401 without one).
pub async fn token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = state.sso.as_ref().is_some_and(|s| s.secure);
    let clear = cookie(TOKEN_COOKIE, "", "/auth/sso/token", 0, true, secure);
    match cookie_of(&headers, TOKEN_COOKIE).filter(|t| !t.is_empty()) {
        Some(token) => with_cookie(
            axum::Json(serde_json::json!({ "token": token })).into_response(),
            clear,
        ),
        None => with_cookie(
            (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({ "error": "no single sign-on to finish" })),
            )
                .into_response(),
            clear,
        ),
    }
}

/// Exchanges the code and checks the ID token; the identity it vouches for.
async fn identity(
    sso: &SingleSignOn,
    code: String,
    verifier: String,
    nonce: String,
) -> anyhow::Result<String> {
    let client = sso.client().await?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&sso.http)
        .await?;
    let id_token = response
        .id_token()
        .ok_or_else(|| anyhow::anyhow!("the provider sent no ID token"))?;
    let claims = id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce))?;
    let subject = match sso.claim {
        SubjectClaim::Sub => Some(claims.subject().as_str().to_owned()),
        SubjectClaim::PreferredUsername => {
            claims.preferred_username().map(|u| u.as_str().to_owned())
        }
        // An address the provider has not verified names nobody.
        SubjectClaim::Email => claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .map(|e| e.as_str().to_owned()),
    };
    subject.ok_or_else(|| anyhow::anyhow!("the ID token has no {:?} claim", sso.claim))
}
