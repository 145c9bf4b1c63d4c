//! Building the app: engine from settings, the router, and a server bound to a port (port 0 in
//! tests, which read the port back).

use crate::graphql;
use crate::server::ServerLimits;
use crate::settings::Settings;
use crate::token::Tokens;
use crate::ws::SocketSettings;
use anyhow::Context as _;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use ipnet::IpNet;
use lianban_engine::store::db;
use lianban_engine::{Clock, Engine};
use lianban_migration::MigratorTrait as _;
use lianban_workers::{Mailer, Metrics, Workers};
use secrecy::SecretString;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub(crate) engine: Engine,
    pub(crate) workers: Arc<Workers>,
    pub(crate) pipeline: graphql::Pipeline,
    pub(crate) tokens: Tokens,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub(crate) proxies: Arc<[IpNet]>,
    /// What WebSockets may cost.
    pub(crate) sockets: SocketSettings,
    /// The token `/metrics` wants on the public listener (`None`: not served there).
    pub(crate) metrics_token: Option<SecretString>,
    /// Single sign-on, when set up.
    pub(crate) sso: Option<Arc<crate::sso::SingleSignOn>>,
}

/// Connects to the database named in `settings`, migrates it, and builds the engine.
///
/// # Errors
/// When the database cannot be reached or migrated.
pub async fn build_engine(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Engine> {
    let db = db::connect(&settings.db_config()).await.with_context(|| {
        format!(
            "connecting to the database ({})",
            redact(&settings.database_url)
        )
    })?;
    lianban_migration::Migrator::up(&db, None)
        .await
        .context("migrating the database")?;
    db::restrict_sqlite_file(&settings.database_url)
        .context("restricting the database file to this account")?;
    let engine = Engine::new(db, clock, settings.engine_settings()?)?;
    engine
        .sync_calendar()
        .await
        .context("loading the working calendar")?;
    Ok(engine)
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The workers of this process: the jobs, the mailer and the counters `/metrics` shows.
///
/// # Errors
/// When the mail settings cannot make a mailer (a bad From address, an unusable folder).
pub fn build_workers(settings: &Settings, engine: Engine) -> anyhow::Result<Workers> {
    let mailer = Mailer::new(settings.mailer_config()).context("setting up mail")?;
    Ok(Workers {
        engine,
        mailer,
        settings: settings.worker_settings(),
        metrics: Arc::new(Metrics::new()),
    })
}

/// The token signer: the configured `jwt_secret`, or the installation's own keys.
pub fn tokens(settings: &Settings, engine: &Engine) -> Tokens {
    let issuer = settings.base_url.trim_end_matches('/');
    match &settings.jwt_secret {
        Some(secret) => Tokens::configured(secret, issuer, settings.token_ttl_minutes),
        None => Tokens::installation(engine.clone(), issuer, settings.token_ttl_minutes),
    }
}

/// The router: `/graphql` (POST queries; GET GraphiQL when `api.graphiql` is on),
/// `/graphql/ws`, `/healthz`, `/metrics` (with `metrics.token` only), the score report as CSV at
/// `/reports/scores.csv`, the organisation list at `/admin/organisation.xlsx`,
/// `/admin/departments.csv` and `/admin/staff.csv`, and the pages; every response carries the security headers.
pub fn router(workers: Arc<Workers>, settings: &Settings) -> Router {
    let tokens = tokens(settings, &workers.engine);
    router_with(workers, settings, tokens)
}

fn router_with(workers: Arc<Workers>, settings: &Settings, tokens: Tokens) -> Router {
    let engine = workers.engine.clone();
    let feed = crate::feed::TaskFeed::new(engine.clone());
    let schema = graphql::schema(
        engine.clone(),
        tokens.clone(),
        feed,
        settings.api.introspection,
    );
    let api_metrics = Arc::new(crate::metrics::ApiMetrics::register(&workers.metrics));
    let pipeline = graphql::Pipeline::new(schema, api_metrics, settings.api.introspection);
    let http = &settings.http;
    let state = AppState {
        engine,
        workers,
        pipeline,
        tokens,
        proxies: http.proxies().unwrap_or_default().into(),
        sockets: SocketSettings {
            init_timeout: Duration::from_secs(http.websocket_init_seconds),
            subscriptions: http.subscriptions_per_socket,
            recheck: Duration::from_secs(http.websocket_recheck_seconds),
            slots: Arc::new(Semaphore::new(http.max_connections)),
        },
        metrics_token: settings.metrics.token.clone(),
        sso: crate::sso::SingleSignOn::from_settings(&settings.sso, &settings.base_url)
            .unwrap_or_else(|err| {
                tracing::error!(error = %err, "single sign-on is off: its settings are bad");
                None
            })
            .map(Arc::new),
    };
    let graphql_routes = if settings.api.graphiql {
        get(crate::web::graphiql::page).post(crate::http::graphql)
    } else {
        get(crate::http::graphiql_off).post(crate::http::graphql)
    };
    let mut app = Router::new()
        .route("/graphql", graphql_routes)
        .route("/graphql/ws", get(crate::ws::graphql_ws))
        .route("/healthz", get(crate::http::healthz))
        .route("/reports/scores.csv", get(crate::export::scores_csv))
        .route("/auth/sso", get(crate::sso::start))
        .route("/auth/sso/callback", get(crate::sso::callback))
        .route("/auth/sso/token", axum::routing::post(crate::sso::token))
        .route(
            "/admin/organisation.xlsx",
            get(crate::export::organisation_xlsx),
        )
        .route(
            "/admin/departments.csv",
            get(crate::export::departments_csv),
        )
        .route("/admin/staff.csv", get(crate::export::staff_csv))
        .merge(crate::web::routes());
    if settings.api.graphiql {
        app = app.merge(crate::web::graphiql::assets());
    }
    if settings.metrics.token.is_some() {
        app = app.route("/metrics", get(crate::http::metrics_with_token));
    }
    app.layer(DefaultBodyLimit::max(crate::http::MAX_BODY_BYTES))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(
            http.body_timeout_seconds,
        )))
        .with_state(state)
        .layer(axum::middleware::map_response(crate::web::security_headers))
        // Innermost first: echo the id on the response, log inside a span carrying it, and
        // (outermost) give every request an id unless the client sent one.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    request_id = %id,
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    /// The metrics listener, when `metrics.bind` is set.
    metrics: Option<(TcpListener, Router)>,
}

/// Raises the process's open-file limit to its hard limit and fits `wanted` connections (and
/// as many WebSockets) under it, with room for the database pool, mail and logs.
fn connections_within_file_limit(wanted: usize) -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(err) => {
            tracing::warn!(error = %err, "cannot read the open-file limit");
            return wanted;
        }
    };
    let fits = usize::try_from(files.saturating_sub(128) / 2).unwrap_or(usize::MAX);
    if fits < wanted {
        tracing::warn!(
            wanted,
            fits,
            open_file_limit = files,
            "http.max_connections lowered to fit the open-file limit"
        );
    }
    wanted.min(fits).max(1)
}

impl Application {
    /// Binds `settings.bind` (use port 0 for any free port), and `metrics.bind` when set; makes
    /// the installation's signing key on a new installation; builds the router.
    ///
    /// # Errors
    /// When an address cannot be bound or the signing keys cannot be read.
    pub async fn build(settings: &Settings, workers: Arc<Workers>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("binding {}", settings.bind))?;
        let metrics = match settings.metrics.bind {
            Some(bind) => Some((
                TcpListener::bind(bind)
                    .await
                    .with_context(|| format!("binding metrics.bind {bind}"))?,
                crate::http::metrics_router(workers.clone()),
            )),
            None => None,
        };
        let tokens = tokens(settings, &workers.engine);
        tokens
            .reload()
            .await
            .context("reading the installation's signing keys")?;
        let http = &settings.http;
        Ok(Application {
            listener,
            router: router_with(workers, settings, tokens),
            limits: ServerLimits {
                max_connections: connections_within_file_limit(http.max_connections),
                max_connections_per_address: http.max_connections_per_address,
                trusted_proxies: http.proxies().unwrap_or_default().into(),
                header_timeout: Duration::from_secs(http.header_timeout_seconds),
                shutdown_grace: Duration::from_secs(http.shutdown_grace_seconds),
            },
            metrics,
        })
    }

    /// The address actually bound.
    ///
    /// # Errors
    /// When the socket has no local address.
    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The metrics listener's address, when there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .and_then(|(listener, _)| listener.local_addr().ok())
    }

    fn spawn_metrics(&mut self) {
        if let Some((listener, router)) = self.metrics.take() {
            tokio::spawn(async move {
                if let Err(err) = axum::serve(listener, router).await {
                    tracing::error!(error = %err, "metrics listener failed");
                }
            });
        }
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM); then requests in flight
    /// get `http.shutdown_grace_seconds` to finish.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        self.spawn_metrics();
        crate::server::serve(self.listener, self.router, self.limits, shutdown_signal())
            .await
            .context("serving HTTP")
    }

    /// Serves forever (tests spawn this and drop it with the runtime).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run(mut self) -> anyhow::Result<()> {
        self.spawn_metrics();
        crate::server::serve(
            self.listener,
            self.router,
            self.limits,
            std::future::pending(),
        )
        .await
        .context("serving HTTP")
    }
}

/// Resolves at Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping");
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn database_passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://u:secret@db:5432/x"),
            "postgres://…@db:5432/x"
        );
        assert_eq!(
            redact("sqlite://lianban.db?mode=rwc"),
            "sqlite://lianban.db?mode=rwc"
        );
    }
}
