//! The pages `lianban serve` serves itself (a centre uses them before its own portal exists):
//! the sign-in page, the leadership board, the department queue, a case's page, one's account
//! (password change, a password from a mailed link) and the organisation admin page. They are
//! static files built into the binary (`include_str!`, no front-end build step) whose script
//! reads the same GraphQL API as every portal, with the token from `login` kept in the
//! browser's session storage. No rule lives here: what a reader may see and do, and every
//! check of an opinion, is the API's answer.

pub mod graphiql;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

/// The pages' Content-Security-Policy: scripts, styles and connections only from this origin,
/// no inline script or style, never framed (the case page holds the opinion form).
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; \
    object-src 'none'";

/// Adds the security headers to every response (a response that set its own policy, like
/// GraphiQL's, keeps it).
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

const APP_JS: &str = include_str!("app.js");
const ACCOUNT_JS: &str = include_str!("account.js");
const ADMIN_JS: &str = include_str!("admin.js");
const APP_CSS: &str = include_str!("app.css");

/// The pages and their two assets.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { page("login", "登录") }))
        .route("/board", get(|| async { page("board", "领导看板") }))
        .route("/queue", get(|| async { page("queue", "部门待办") }))
        .route("/cases/{id}", get(|| async { page("case", "办件详情") }))
        .route("/account", get(|| async { page("account", "修改密码") }))
        .route("/password", get(|| async { page("password", "设置密码") }))
        .route("/admin", get(|| async { page("admin", "组织管理") }))
        .route("/assets/app.js", get(|| async { script(APP_JS) }))
        .route("/assets/account.js", get(|| async { script(ACCOUNT_JS) }))
        .route("/assets/admin.js", get(|| async { script(ADMIN_JS) }))
        .route(
            "/assets/app.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], APP_CSS).into_response()
            }),
        )
}

fn script(body: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
        .into_response()
}

/// A page's shell: the scripts fill `<main>` for `name`.
fn page(name: &str, title: &str) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · 联办</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body data-page="{name}">
<header class="bar"><a class="brand" href="/">联办 Lianban</a><nav id="nav"></nav></header>
<main id="app"><p class="muted">加载中…</p></main>
<script src="/assets/app.js"></script>
<script src="/assets/account.js"></script>
<script src="/assets/admin.js"></script>
</body>
</html>
"#
    ))
}
