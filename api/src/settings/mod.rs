//! 配置 — typed, layered settings: built-in defaults, then a TOML file (default
//! `lianban.toml`), then `LIANBAN_`-prefixed environment variables (`__` separates sections:
//! `LIANBAN_MAIL__SMTP__HOST`). Loaded once in `main` and passed down; a missing or bad setting
//! stops start-up with a message naming it.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::{Figment, error::Kind};
use lianban_engine::store::db::{DbConfig, backend_of};
use lianban_rules::OfficeHours;
use lianban_rules::clocks::LightThresholds;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

mod convert;
mod sections;
mod server;
pub use sections::*;
pub use server::*;

/// Secrets that were once published (an earlier `lianban.toml` shipped the first); refused as
/// `jwt_secret` on every database, since anyone could sign tokens with them.
pub const PUBLISHED_JWT_SECRETS: &[&str] =
    &["development-only-secret-change-me-for-production-use"];

/// All of Lianban's settings.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `sqlite://lianban.db?mode=rwc` (embedded default) or `postgres://…` (production).
    pub database_url: String,
    /// PostgreSQL schema to use; created when missing.
    pub database_schema: Option<String>,
    /// Connection pool size.
    pub database_max_connections: u32,
    /// Where the HTTP server listens.
    pub bind: SocketAddr,
    /// The public address of this server, for links in mail.
    pub base_url: String,
    /// A secret that signs sign-in tokens (at least 32 bytes) for installations that share one
    /// key; unset (the default), the installation generates and rotates keys of its own.
    pub jwt_secret: Option<SecretString>,
    /// How long a sign-in token lasts, in minutes.
    pub token_ttl_minutes: u32,
    /// The service centre.
    pub centre: CentreSettings,
    /// Outgoing mail.
    pub mail: MailSettings,
    /// When lights turn yellow.
    pub lights: LightSettings,
    /// The scheduled jobs.
    pub workers: WorkersSettings,
    /// The escalation ladder.
    pub ladder: LadderSettings,
    /// 急事急办 — how much earlier urgent cases are reminded.
    pub urgent: UrgentSettings,
    /// The HTTP server's limits and trusted proxies.
    pub http: HttpSettings,
    /// GraphiQL and introspection.
    pub api: ApiSettings,
    /// Where `/metrics` is served.
    pub metrics: MetricsSettings,
    /// How staff sign in.
    pub sign_in: SignInSettings,
    /// Single sign-on.
    pub sso: SsoSettings,
}

/// A setting that stops start-up.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SettingsError(String);

impl Settings {
    /// Loads settings from the defaults, `file` (when it exists) and the environment.
    ///
    /// # Errors
    /// A [`SettingsError`] naming the missing or bad setting.
    pub fn load(file: &Path) -> Result<Settings, SettingsError> {
        Self::from_figment(
            Figment::from(Serialized::defaults(defaults()))
                .merge(Toml::file(file))
                .merge(Env::prefixed("LIANBAN_").split("__")),
        )
    }

    /// Loads settings from an explicit figment (tests layer their own values on the defaults).
    ///
    /// # Errors
    /// A [`SettingsError`] naming the missing or bad setting.
    pub fn from_figment(figment: Figment) -> Result<Settings, SettingsError> {
        let settings: Settings = figment.extract().map_err(|err| {
            let messages: Vec<String> = err
                .into_iter()
                .map(|e| match &e.kind {
                    Kind::MissingField(field) => format!(
                        "setting `{field}` is missing: set it in lianban.toml or as LIANBAN_{}",
                        field.to_uppercase()
                    ),
                    kind => format!("setting `{}` is bad: {kind}", e.path.join(".")),
                })
                .collect();
            SettingsError(messages.join("; "))
        })?;
        settings.check()?;
        Ok(settings)
    }

    /// Layers `LIANBAN_`-style overrides on the built-in defaults only (no file, no
    /// environment) — how tests build settings.
    pub fn defaults_with(overrides: impl Serialize) -> Figment {
        Figment::from(Serialized::defaults(defaults())).merge(Serialized::defaults(overrides))
    }

    fn check(&self) -> Result<(), SettingsError> {
        let bad =
            |name: &str, why: String| SettingsError(format!("setting `{name}` is bad: {why}"));
        backend_of(&self.database_url).map_err(|e| bad("database_url", e.to_string()))?;
        if let Some(secret) = &self.jwt_secret {
            let secret = secret.expose_secret();
            if PUBLISHED_JWT_SECRETS.contains(&secret) {
                return Err(bad(
                    "jwt_secret",
                    "is a published secret that anyone can sign with; remove it (the installation then makes its own key) or set a random one".into(),
                ));
            }
            if secret.len() < 32 {
                return Err(bad("jwt_secret", "must be at least 32 bytes".into()));
            }
        }
        self.http
            .proxies()
            .map_err(|e| bad("http.trusted_proxies", e))?;
        if let Some(issuer) = &self.sso.issuer_url {
            if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
                return Err(bad("sso.issuer_url", "must be an http(s) address".into()));
            }
            if self.sso.client_secret.is_none() {
                return Err(bad(
                    "sso.client_secret",
                    "is needed with sso.issuer_url (set LIANBAN_SSO__CLIENT_SECRET)".into(),
                ));
            }
        }
        if !self.sign_in.password && self.sso.issuer_url.is_none() {
            return Err(bad(
                "sign_in.password",
                "cannot be off without single sign-on (sso.issuer_url): nobody could sign in"
                    .into(),
            ));
        }
        if !(1..=1_000_000).contains(&self.http.max_connections) {
            return Err(bad("http.max_connections", "must be 1..=1000000".into()));
        }
        if !(1..=self.http.max_connections).contains(&self.http.max_connections_per_address) {
            return Err(bad(
                "http.max_connections_per_address",
                "must be 1..=http.max_connections".into(),
            ));
        }
        for (name, seconds) in [
            (
                "http.header_timeout_seconds",
                self.http.header_timeout_seconds,
            ),
            ("http.body_timeout_seconds", self.http.body_timeout_seconds),
            (
                "http.shutdown_grace_seconds",
                self.http.shutdown_grace_seconds,
            ),
            (
                "http.websocket_init_seconds",
                self.http.websocket_init_seconds,
            ),
            (
                "http.websocket_recheck_seconds",
                self.http.websocket_recheck_seconds,
            ),
        ] {
            if !(1..=3600).contains(&seconds) {
                return Err(bad(name, "must be 1..=3600 seconds".into()));
            }
        }
        if !(1..=1000).contains(&self.http.subscriptions_per_socket) {
            return Err(bad(
                "http.subscriptions_per_socket",
                "must be 1..=1000".into(),
            ));
        }
        if self
            .metrics
            .token
            .as_ref()
            .is_some_and(|t| t.expose_secret().len() < 16)
        {
            return Err(bad(
                "metrics.token",
                "must be at least 16 characters".into(),
            ));
        }
        if !(1..=10_080).contains(&self.token_ttl_minutes) {
            return Err(bad("token_ttl_minutes", "must be 1..=10080".into()));
        }
        if self.database_max_connections == 0 {
            return Err(bad("database_max_connections", "must be at least 1".into()));
        }
        self.office_hours()
            .map_err(|e| bad("centre.office_hours", e.to_string()))?;
        if !(0..=30).contains(&self.lights.yellow_working_days) {
            return Err(bad("lights.yellow_working_days", "must be 0..=30".into()));
        }
        if !(0..=240).contains(&self.lights.yellow_working_minutes) {
            return Err(bad(
                "lights.yellow_working_minutes",
                "must be 0..=240".into(),
            ));
        }
        if !(1..=100).contains(&self.mail.max_attempts) {
            return Err(bad("mail.max_attempts", "must be 1..=100".into()));
        }
        if !(1..=86_400).contains(&self.mail.retry_base_seconds) {
            return Err(bad("mail.retry_base_seconds", "must be 1..=86400".into()));
        }
        if !(1..=16).contains(&self.workers.sweep_streams) {
            return Err(bad("workers.sweep_streams", "must be 1..=16".into()));
        }
        if !(1..=10_000).contains(&self.workers.sweep_batch) {
            return Err(bad("workers.sweep_batch", "must be 1..=10000".into()));
        }
        for (name, cron) in [
            ("workers.sweep", &self.workers.sweep),
            ("workers.send", &self.workers.send),
            ("workers.digest", &self.workers.digest),
            ("workers.absences", &self.workers.absences),
        ] {
            if cron.split_whitespace().count() != 6 {
                return Err(bad(
                    name,
                    format!("`{cron}` is not a cron with seconds (sec min hour day month weekday)"),
                ));
            }
        }
        if self.urgent.reminder_working_days < 0 || self.urgent.reminder_working_minutes < 0 {
            return Err(bad(
                "urgent",
                "reminders cannot come after the due time".into(),
            ));
        }
        if self.ladder.red_card_after_days <= self.ladder.yellow_card_after_days {
            return Err(bad(
                "ladder.red_card_after_days",
                "must be after yellow_card_after_days".into(),
            ));
        }
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp.host.trim().is_empty() {
            return Err(bad(
                "mail.smtp.host",
                "is required when mail.transport is smtp".into(),
            ));
        }
        Ok(())
    }

    /// The centre's office hours.
    ///
    /// # Errors
    /// When a period is malformed (checked at load, so not after).
    pub fn office_hours(&self) -> lianban_rules::Result<OfficeHours> {
        OfficeHours::parse(&self.centre.office_hours)
    }

    /// The light thresholds, as the engine takes them.
    pub fn thresholds(&self) -> LightThresholds {
        LightThresholds {
            yellow_working_days: self.lights.yellow_working_days,
            yellow_working_minutes: self.lights.yellow_working_minutes,
        }
    }

    /// How to reach the database.
    pub fn db_config(&self) -> DbConfig {
        DbConfig {
            url: self.database_url.clone(),
            schema: self.database_schema.clone(),
            max_connections: self.database_max_connections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(overrides: serde_json::Value) -> Result<Settings, SettingsError> {
        Settings::from_figment(Settings::defaults_with(overrides))
    }

    #[test]
    fn without_a_jwt_secret_the_installation_uses_its_own_keys() {
        let settings = load(json!({})).unwrap();
        assert!(settings.jwt_secret.is_none());
    }

    #[test]
    fn bad_settings_are_named() {
        let cases = [
            (json!({"bind": "nowhere"}), "bind"),
            (json!({"database_url": "mysql://x"}), "database_url"),
            (json!({"jwt_secret": "short"}), "jwt_secret"),
            (
                json!({"centre": {"office_hours": ["8-12"]}}),
                "centre.office_hours",
            ),
            (json!({"mail": {"transport": "smtp"}}), "mail.smtp.host"),
            (
                json!({"http": {"trusted_proxies": ["10.0.0.0/8", "proxy"]}}),
                "http.trusted_proxies",
            ),
            (
                json!({"http": {"header_timeout_seconds": 0}}),
                "http.header_timeout_seconds",
            ),
            (json!({"metrics": {"token": "short"}}), "metrics.token"),
        ];
        for (overrides, name) in cases {
            let err = load(overrides).unwrap_err().to_string();
            assert!(err.contains(&format!("`{name}`")), "{name}: {err}");
        }
    }

    #[test]
    fn the_once_published_secret_is_refused_on_every_database() {
        for url in ["sqlite://lianban.db?mode=rwc", "postgres://x/y"] {
            let err = load(json!({"jwt_secret": PUBLISHED_JWT_SECRETS[0], "database_url": url}))
                .unwrap_err()
                .to_string();
            assert!(err.contains("`jwt_secret`"), "{url}: {err}");
        }
    }

    #[test]
    fn defaults_give_the_embedded_sqlite_setup() {
        let settings = load(json!({})).unwrap();
        assert_eq!(settings.database_url, "sqlite://lianban.db?mode=rwc");
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.office_hours().unwrap(), OfficeHours::standard());
        assert_eq!(settings.mail.transport, MailTransport::File);
        assert!(!settings.api.graphiql && !settings.api.introspection);
        assert!(settings.metrics.bind.is_none() && settings.metrics.token.is_none());
        assert!(settings.http.proxies().unwrap().is_empty());
    }

    #[test]
    fn trusted_proxies_take_addresses_and_ranges() {
        let settings =
            load(json!({"http": {"trusted_proxies": ["10.0.0.0/8", "127.0.0.1", "::1"]}})).unwrap();
        let proxies = settings.http.proxies().unwrap();
        assert_eq!(proxies.len(), 3);
        assert!(proxies[1].contains(&"127.0.0.1".parse::<std::net::IpAddr>().unwrap()));
    }
}
