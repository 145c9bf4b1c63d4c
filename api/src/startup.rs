//! Building the app: engine from settings, the router, and a server bound to a port (port 0 in
//! tests, which read the port back).

use crate::graphql::{self, Session};
use crate::settings::Settings;
use crate::token::Tokens;
use anyhow::Context as _;
use async_graphql::Data;
use async_graphql::Executor as _;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql_axum::{GraphQLProtocol, GraphQLResponse, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{ConnectInfo, WebSocketUpgrade};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use lianban_engine::{Clock, Engine, db};
use lianban_workers::{Mailer, Metrics, Workers};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// Largest request body accepted (a GraphQL document with its variables).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub(crate) engine: Engine,
    workers: Arc<Workers>,
    pipeline: graphql::Pipeline,
    pub(crate) tokens: Tokens,
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
    db::migrate(&db).await.context("migrating the database")?;
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

/// The router: `/graphql` (POST queries, GET GraphiQL), `/healthz`, `/metrics` and the score
/// report as CSV at `/reports/scores.csv`.
pub fn router(workers: Arc<Workers>, settings: &Settings) -> Router {
    let engine = workers.engine.clone();
    let tokens = Tokens::new(&settings.jwt_secret, settings.token_ttl_minutes);
    let feed = crate::feed::TaskFeed::new(engine.clone());
    let schema = graphql::schema(engine.clone(), tokens.clone(), feed);
    let pipeline = graphql::Pipeline::new(schema, workers.metrics.clone());
    let state = AppState {
        engine,
        workers,
        pipeline,
        tokens,
    };
    Router::new()
        .route("/graphql", get(graphiql).post(graphql_handler))
        .route("/graphql/ws", get(graphql_ws))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/reports/scores.csv", get(crate::export::scores_csv))
        .merge(crate::web::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
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

/// POST `/graphql`: one GraphQL request as JSON (or `application/graphql`). A body over
/// [`MAX_BODY_BYTES`] (HTTP 413) or one that is not a GraphQL request (HTTP 400) is answered
/// like every other error: JSON with `extensions.code`.
async fn graphql_handler(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> axum::response::Response {
    let body = match body {
        Ok(body) => body,
        Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is over {} KiB", MAX_BODY_BYTES / 1024),
            );
        }
        Err(err) => return refusal(StatusCode::BAD_REQUEST, err.body_text()),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let request = match async_graphql::http::receive_body(
        content_type,
        body.as_ref(),
        async_graphql::http::MultipartOptions::default(),
    )
    .await
    {
        Ok(request) => request,
        Err(err) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                format!("not a GraphQL request: {err}"),
            );
        }
    };
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let session =
        Session::from_header(header, &state.tokens, state.engine.now()).from_address(peer.ip());
    let loaders = graphql::loaders::Loaders::for_request(&state.engine);
    GraphQLResponse::from(
        state
            .pipeline
            .execute(request.data(session).data(loaders))
            .await,
    )
    .into_response()
}

/// A request refused before GraphQL could read it, in GraphQL's error shape.
fn refusal(status: StatusCode, message: String) -> axum::response::Response {
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": "INVALID_INPUT" } }]
    });
    (status, Json(body)).into_response()
}

/// Subscriptions: a WebSocket speaking graphql-transport-ws (or the older graphql-ws). The
/// token comes in the `connection_init` payload (`{"Authorization": "Bearer …"}`, as GraphiQL
/// sends its headers, or `{"token": "…"}`) or in the upgrade request's `Authorization` header.
async fn graphql_ws(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    protocol: GraphQLProtocol,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> axum::response::Response {
    let header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (pipeline, tokens, engine) = (state.pipeline, state.tokens, state.engine);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, pipeline, protocol)
                .on_connection_init(move |payload| async move {
                    let from_payload = ["Authorization", "authorization"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
                        .map(str::to_owned)
                        .or_else(|| {
                            payload
                                .get("token")
                                .and_then(|v| v.as_str())
                                .map(|t| format!("Bearer {t}"))
                        });
                    let bearer = from_payload.or(header);
                    let mut data = Data::default();
                    data.insert(
                        Session::from_header(bearer.as_deref(), &tokens, engine.now())
                            .from_address(peer.ip()),
                    );
                    data.insert(graphql::loaders::Loaders::for_connection(&engine));
                    Ok(data)
                })
                .serve()
        })
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("联办 Lianban")
            .finish(),
    )
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    if let Err(err) = state.workers.refresh_gauges().await {
        tracing::warn!(error = %err, "metrics: cannot count pending messages");
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.workers.metrics.render(),
    )
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.engine.db().execute_unprepared("SELECT 1").await {
        Ok(_) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": "ok" })),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": "unreachable" })),
            )
        }
    }
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    /// Binds `settings.bind` (use port 0 for any free port) and builds the router.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub async fn build(settings: &Settings, workers: Arc<Workers>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("binding {}", settings.bind))?;
        Ok(Application {
            listener,
            router: router(workers, settings),
        })
    }

    /// The address actually bound.
    ///
    /// # Errors
    /// When the socket has no local address.
    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")
    }

    /// Serves forever (tests spawn this and drop it with the runtime).
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
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
