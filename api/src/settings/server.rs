//! The settings of the HTTP server: what a connection may cost, whom to believe about a
//! client's address, and which developer and operator endpoints are on.

use ipnet::IpNet;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};

/// The HTTP listener's limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HttpSettings {
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client.
    /// Empty: the connection's own address is the client's, and the header is ignored.
    pub trusted_proxies: Vec<String>,
    /// Open connections at most (and as many WebSockets); past this a new one is told 503.
    pub max_connections: usize,
    /// Open connections at most from one address (a trusted proxy's are not counted).
    pub max_connections_per_address: usize,
    /// A request's headers must arrive within this many seconds of the connection asking.
    pub header_timeout_seconds: u64,
    /// A request's body must arrive within this many seconds.
    pub body_timeout_seconds: u64,
    /// On SIGTERM, requests in flight get this long to finish; then the server exits anyway.
    pub shutdown_grace_seconds: u64,
    /// A WebSocket must send `connection_init` within this many seconds.
    pub websocket_init_seconds: u64,
    /// Subscriptions open at once on one WebSocket.
    pub subscriptions_per_socket: usize,
    /// An open WebSocket's sign-in (token expiry, account still active) is checked this often,
    /// besides at every batch of events.
    pub websocket_recheck_seconds: u64,
}

/// Developer conveniences of the API, off unless a setting turns them on (`serve --demo`
/// does).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ApiSettings {
    /// GraphiQL at `GET /graphql` (its scripts are served from the binary).
    pub graphiql: bool,
    /// GraphQL introspection (`__schema`, `__type`).
    pub introspection: bool,
}

/// How staff sign in.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInSettings {
    /// Username and password (switch off once single sign-on works for everyone; to recover,
    /// `lianban admin create --sso-subject …` makes an admin who signs in through it, or switch
    /// this on again).
    pub password: bool,
}

/// Single sign-on through the province's or city's unified identity platform (统一身份认证),
/// an OpenID Connect provider (authorization code flow with PKCE). Off unless `issuer_url` is
/// set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SsoSettings {
    /// The provider's issuer (`https://…`); its `/.well-known/openid-configuration` is read.
    pub issuer_url: Option<String>,
    /// This installation's client id at the provider.
    pub client_id: String,
    /// Its client secret (set it as `LIANBAN_SSO__CLIENT_SECRET`).
    #[serde(skip_serializing)]
    pub client_secret: Option<SecretString>,
    /// Which claim of the ID token names the person, as `ssoSubject` holds it: `sub` (the
    /// provider's subject), `preferred_username` (where platforms put the employee number) or
    /// `email`.
    pub subject_claim: SubjectClaim,
    /// The button's text on the sign-in page.
    pub label: String,
}

/// The ID token claim a person is known by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectClaim {
    /// `sub`.
    Sub,
    /// `preferred_username`.
    PreferredUsername,
    /// `email`.
    Email,
}

/// Where Prometheus reads `/metrics`. Neither set: not served.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricsSettings {
    /// A listener of its own (e.g. `127.0.0.1:9464`), kept off the public one.
    pub bind: Option<SocketAddr>,
    /// Or on the public listener, for requests with `Authorization: Bearer <token>`.
    #[serde(skip_serializing)]
    pub token: Option<SecretString>,
}

impl HttpSettings {
    pub(super) fn defaults() -> Self {
        HttpSettings {
            trusted_proxies: Vec::new(),
            max_connections: 1000,
            max_connections_per_address: 64,
            header_timeout_seconds: 10,
            body_timeout_seconds: 30,
            shutdown_grace_seconds: 10,
            websocket_init_seconds: 5,
            subscriptions_per_socket: 10,
            websocket_recheck_seconds: 30,
        }
    }

    /// The trusted proxies, parsed.
    ///
    /// # Errors
    /// The first entry that is neither an address nor a CIDR range.
    pub fn proxies(&self) -> Result<Vec<IpNet>, String> {
        self.trusted_proxies
            .iter()
            .map(|text| {
                text.parse::<IpNet>()
                    .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{text}` is not an address or a CIDR range"))
            })
            .collect()
    }
}
