//! GraphiQL at `GET /graphql`, when `api.graphiql` is on: a page with no inline script and its
//! scripts and styles served from the binary (see `graphiql/README.md`), never from a CDN.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// GraphiQL needs inline styles (its editor sets them) and `data:` fonts; scripts still come
/// only from this origin.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'none'; object-src 'none'";

const PAGE: &str = r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>联办 Lianban · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/page.css">
</head>
<body>
<div id="graphiql"></div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/start.js"></script>
</body>
</html>
"#;

const PAGE_CSS: &str = "html, body, #graphiql { height: 100%; margin: 0; }\n";

fn gzipped(bytes: &'static [u8], content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The GraphiQL page (for `GET /graphql`).
pub async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        PAGE,
    )
        .into_response()
}

/// GraphiQL's assets under `/graphiql/`.
pub fn assets<S: Clone + Send + Sync + 'static>() -> Router<S> {
    const JS: &str = "text/javascript; charset=utf-8";
    const CSS: &str = "text/css; charset=utf-8";
    Router::new()
        .route(
            "/graphiql/graphiql.min.js",
            get(|| async { gzipped(include_bytes!("graphiql/graphiql.min.js.gz"), JS) }),
        )
        .route(
            "/graphiql/graphiql.min.css",
            get(|| async { gzipped(include_bytes!("graphiql/graphiql.min.css.gz"), CSS) }),
        )
        .route(
            "/graphiql/react.production.min.js",
            get(|| async { gzipped(include_bytes!("graphiql/react.production.min.js.gz"), JS) }),
        )
        .route(
            "/graphiql/react-dom.production.min.js",
            get(|| async {
                gzipped(
                    include_bytes!("graphiql/react-dom.production.min.js.gz"),
                    JS,
                )
            }),
        )
        .route(
            "/graphiql/start.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, JS)],
                    include_str!("graphiql/start.js"),
                )
            }),
        )
        .route(
            "/graphiql/page.css",
            get(|| async { ([(header::CONTENT_TYPE, CSS)], PAGE_CSS) }),
        )
}
