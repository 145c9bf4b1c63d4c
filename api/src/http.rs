//! The HTTP handlers beside the pages: GraphQL over POST, `/healthz`, `/metrics`, and the
//! answers given before GraphQL can read a request.

use crate::graphql::{self, Session};
use crate::startup::AppState;
use async_graphql::Executor as _;
use async_graphql_axum::GraphQLResponse;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lianban_workers::Workers;
use sea_orm::ConnectionTrait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest request body accepted (a GraphQL document with its variables).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// POST `/graphql`: one GraphQL request as JSON (or `application/graphql`). A body over
/// [`MAX_BODY_BYTES`] (HTTP 413), one that did not arrive in time (HTTP 408) or one that is not
/// a GraphQL request (HTTP 400) is answered like every other error: JSON with
/// `extensions.code`.
pub async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_))) => {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is over {} KiB", MAX_BODY_BYTES / 1024),
            );
        }
        Err(err) if timed_out(&err) => {
            return refusal(
                StatusCode::REQUEST_TIMEOUT,
                "the request body did not arrive in time".to_owned(),
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
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let client = crate::client::client_address(peer.ip(), &headers, &state.proxies);
    let session = Session::from_header(authorization, &state.tokens, state.engine.now())
        .await
        .from_address(client);
    let loaders = graphql::loaders::Loaders::for_request(&state.engine);
    GraphQLResponse::from(
        state
            .pipeline
            .execute(request.data(session).data(loaders))
            .await,
    )
    .into_response()
}

/// Whether reading the body failed because it did not arrive within `http.body_timeout_seconds`.
fn timed_out(err: &BytesRejection) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = source {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// A request refused before GraphQL could read it, in GraphQL's error shape.
pub fn refusal(status: StatusCode, message: String) -> Response {
    let code = if status == StatusCode::NOT_FOUND {
        "NOT_FOUND"
    } else {
        "INVALID_INPUT"
    };
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    (status, Json(body)).into_response()
}

/// GET `/graphql` with GraphiQL off.
pub async fn graphiql_off() -> Response {
    refusal(
        StatusCode::NOT_FOUND,
        "GraphiQL is off on this server (setting api.graphiql); POST GraphQL requests here"
            .to_owned(),
    )
}

/// The Prometheus text of `workers`' counters.
pub async fn metrics_text(workers: &Workers) -> Response {
    if let Err(err) = workers.refresh_gauges().await {
        tracing::warn!(error = %err, "metrics: cannot count pending messages");
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        workers.metrics.render(),
    )
        .into_response()
}

/// Whether two byte strings are equal, in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// GET `/metrics` on the public listener: only with `Authorization: Bearer <metrics.token>`.
pub async fn metrics_with_token(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let allowed = state
        .metrics_token
        .as_ref()
        .is_some_and(|token: &SecretString| {
            same(token.expose_secret().as_bytes(), given.as_bytes())
        });
    if !allowed {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need Authorization: Bearer <metrics.token>\n",
        )
            .into_response();
    }
    metrics_text(&state.workers).await
}

/// The router of the metrics listener (`metrics.bind`): `/metrics` only.
pub fn metrics_router(workers: Arc<Workers>) -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let workers = workers.clone();
            async move { metrics_text(&workers).await }
        }),
    )
}

/// GET `/healthz`: 200 while the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
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

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abcdef0123456789", b"abcdef0123456789"));
        assert!(!same(b"abcdef0123456789", b"abcdef012345678"));
        assert!(!same(b"abcdef0123456789", b"Abcdef0123456789"));
        assert!(!same(b"", b"x"));
    }
}
