//! The harness: `spawn_app` builds the real app on a fresh database with the demo centre and a
//! fake clock, serves it on a random port, and offers GraphQL helpers.

pub mod flows;
pub mod readme;
pub mod smtp;

use chrono::{DateTime, TimeZone, Utc};
use lianban_api::{Application, Settings, build_engine};
use lianban_engine::{Engine, FakeClock};
use lianban_workers::{Mailer, Metrics, SecurityMode, TransportConfig, Workers};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests use (each test gets its own schema in it).
pub fn postgres_url() -> String {
    std::env::var("LIANBAN_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Monday 2026-11-23, 09:00 in Shanghai: every test starts here.
pub fn monday_nine() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
}

/// Where the app's mail goes.
#[derive(Debug, Clone)]
pub enum Mail {
    /// Kept in memory (`app.workers.mailer.sent()`).
    Memory,
    /// A real SMTP server on this port (see [`smtp::SmtpSink`]).
    Smtp(u16),
    /// A real SMTP server that wants STARTTLS (or, `implicit`, TLS from the first byte) with
    /// a certificate from `ca`, and this login.
    Secure {
        port: u16,
        ca: std::path::PathBuf,
        user: String,
        password: String,
        implicit: bool,
    },
}

/// A running app and what a test needs to drive it.
pub struct TestApp {
    pub workers: Arc<Workers>,
    pub addr: SocketAddr,
    /// The metrics listener, when `metrics.bind` is set.
    pub metrics_addr: Option<SocketAddr>,
    pub client: reqwest::Client,
    pub engine: Engine,
    pub clock: Arc<FakeClock>,
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    schema: Option<String>,
}

/// Builds the app on a fresh database of kind `db`, loads the demo centre, and serves it.
pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, Mail::Memory).await
}

/// The token `/metrics` wants in the tests' app.
pub const METRICS_TOKEN: &str = "end-to-end-metrics-token-0123456789";

/// Builds the app like [`spawn_app`], with its mail going to `mail`.
pub async fn spawn_app_with(db: Db, mail: Mail) -> TestApp {
    spawn_app_configured(db, mail, json!({})).await
}

/// Builds the app like [`spawn_app_with`], with `overrides` layered on the tests' settings
/// (which trust `127.0.0.1` as a proxy, so a test names a client's address in
/// `X-Forwarded-For`; serve `/metrics` with [`METRICS_TOKEN`]; and turn introspection on, as
/// the demo does).
pub async fn spawn_app_configured(db: Db, mail: Mail, overrides: Value) -> TestApp {
    lianban_api::telemetry::init_with_default("warn,sqlx=warn,sea_orm=warn");
    let (url, schema, dir) = match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("lianban.db").display()
            );
            (url, None, Some(dir))
        }
        Db::Postgres => {
            let schema = format!("lt_{}", uuid::Uuid::now_v7().simple());
            (postgres_url(), Some(schema), None)
        }
    };
    let settings = Settings::from_figment(
        Settings::defaults_with(json!({
            "database_url": url,
            "database_schema": schema,
            "database_max_connections": 5,
            "bind": "127.0.0.1:0",
            "http": { "trusted_proxies": ["127.0.0.1"] },
            "api": { "introspection": true },
            "metrics": { "token": METRICS_TOKEN },
        }))
        .merge(figment::providers::Serialized::defaults(overrides)),
    )
    .unwrap();
    let clock = Arc::new(FakeClock::new(monday_nine()));
    let engine = build_engine(&settings, clock.clone()).await.unwrap();
    engine.load_demo().await.unwrap();
    let transport = match mail {
        Mail::Memory => TransportConfig::Memory,
        Mail::Smtp(port) => TransportConfig::Smtp {
            host: "127.0.0.1".to_owned(),
            port,
            security: SecurityMode::None,
            credentials: None,
            ca_file: None,
        },
        Mail::Secure {
            port,
            ca,
            user,
            password,
            implicit,
        } => TransportConfig::Smtp {
            host: "localhost".to_owned(),
            port,
            security: if implicit {
                SecurityMode::Tls
            } else {
                SecurityMode::Starttls
            },
            credentials: Some((user, password.into())),
            ca_file: Some(ca),
        },
    };
    let mut config = settings.mailer_config();
    config.transport = transport;
    let workers = Arc::new(Workers {
        engine: engine.clone(),
        mailer: Mailer::new(config).unwrap(),
        settings: settings.worker_settings(),
        metrics: Arc::new(Metrics::new()),
    });
    let app = Application::build(&settings, workers.clone())
        .await
        .unwrap();
    let addr = app.local_addr().unwrap();
    let metrics_addr = app.metrics_addr();
    tokio::spawn(app.run());
    TestApp {
        addr,
        metrics_addr,
        client: reqwest::Client::new(),
        workers,
        engine,
        db,
        clock,
        _dir: dir,
        schema,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(schema) = self.schema.take() else {
            return;
        };
        // Drop this test's PostgreSQL schema on a thread of its own (Drop cannot await).
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                if let Ok(db) = Database::connect(postgres_url()).await {
                    let _ = db
                        .execute_unprepared(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .await;
                    let _ = db.close().await;
                }
            });
        })
        .join();
    }
}

impl TestApp {
    /// What the fake clock shows.
    pub fn clock_now(&self) -> DateTime<Utc> {
        use lianban_engine::Clock;
        self.clock.now()
    }

    /// The GraphQL endpoint.
    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    /// Posts a GraphQL request; returns the whole response body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(self.url())
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "HTTP {}", response.status());
        response.json().await.unwrap()
    }

    /// Posts a request that must succeed; returns its `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.post(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Posts a request that must fail; returns the first error (message and extensions).
    pub async fn fails(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.post(token, query, variables).await;
        let error = body["errors"][0].clone();
        assert!(!error.is_null(), "expected an error, got {body:#}");
        let text = error.to_string();
        for leak in ["SELECT", "INSERT", "UPDATE ", "sqlx", "panicked", "src/"] {
            assert!(!text.contains(leak), "error leaks internals: {text}");
        }
        error
    }

    /// Runs the README operation `name` and returns its `data`.
    pub async fn readme(&self, token: Option<&str>, name: &str, variables: Value) -> Value {
        self.ok(token, readme::operation(name), variables).await
    }

    /// `/metrics`, read with the tests' token.
    pub async fn metrics(&self) -> String {
        self.client
            .get(format!("http://{}/metrics", self.addr))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// Posts a GraphQL request as a client at `address` (behind the trusted proxy); returns the
    /// whole response body.
    pub async fn post_from(
        &self,
        address: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut request = self
            .client
            .post(self.url())
            .header("X-Forwarded-For", address)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap().json().await.unwrap()
    }

    /// Signs in as a demo account; returns the token.
    pub async fn login(&self, username: &str) -> String {
        let data = self
            .readme(
                None,
                "Login",
                json!({ "username": username, "password": lianban_engine::demo::DEMO_PASSWORD }),
            )
            .await;
        data["login"]["token"].as_str().unwrap().to_owned()
    }

    /// Deactivates an account as the centre admin does when somebody leaves (`deactivateStaff`).
    pub async fn deactivate(&self, username: &str) {
        let admin = self.login("admin").await;
        let all = self
            .ok(
                Some(&admin),
                "{ staffMembers { id username version } }",
                json!({}),
            )
            .await;
        let person = all["staffMembers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["username"] == username)
            .cloned()
            .unwrap_or_else(|| panic!("no active staff member {username}"));
        self.ok(
            Some(&admin),
            "mutation($id: ID!, $v: Int!) { deactivateStaff(id: $id, expectedVersion: $v) { active } }",
            json!({ "id": person["id"], "v": person["version"] }),
        )
        .await;
    }
}

/// The `extensions.code` of an error.
pub fn code(error: &Value) -> &str {
    error["extensions"]["code"].as_str().unwrap_or("<no code>")
}
