//! 配置 — typed, layered settings: built-in defaults, then a TOML file (default
//! `lianban.toml`), then `LIANBAN_`-prefixed environment variables (`__` separates sections:
//! `LIANBAN_MAIL__SMTP__HOST`). Loaded once in `main` and passed down; a missing or bad setting
//! stops start-up with a message naming it.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::{Figment, error::Kind};
use lianban_engine::OfficeHours;
use lianban_engine::db::{DbBackend, DbConfig, backend_of};
use lianban_engine::statutory::LightThresholds;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

mod convert;
mod sections;
pub use sections::*;

/// The JWT secret shipped in the repository's `lianban.toml` for the embedded demo. Refused
/// when the database is PostgreSQL (production).
pub const DEVELOPMENT_JWT_SECRET: &str = "development-only-secret-change-me-for-production-use";

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
    /// Secret that signs sign-in tokens (at least 32 bytes).
    pub jwt_secret: SecretString,
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
        let backend =
            backend_of(&self.database_url).map_err(|e| bad("database_url", e.to_string()))?;
        if self.jwt_secret.expose_secret().len() < 32 {
            return Err(bad("jwt_secret", "must be at least 32 bytes".into()));
        }
        if backend == DbBackend::Postgres
            && self.jwt_secret.expose_secret() == DEVELOPMENT_JWT_SECRET
        {
            return Err(bad(
                "jwt_secret",
                "is the development secret from lianban.toml; set LIANBAN_JWT_SECRET for PostgreSQL".into(),
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
    pub fn office_hours(&self) -> lianban_engine::Result<OfficeHours> {
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
    fn a_missing_jwt_secret_is_named() {
        let err = load(json!({})).unwrap_err().to_string();
        assert!(err.contains("`jwt_secret` is missing"), "{err}");
        assert!(err.contains("LIANBAN_JWT_SECRET"), "{err}");
    }

    #[test]
    fn bad_settings_are_named() {
        let secret = "x".repeat(40);
        let cases = [
            (json!({"jwt_secret": secret, "bind": "nowhere"}), "bind"),
            (
                json!({"jwt_secret": secret, "database_url": "mysql://x"}),
                "database_url",
            ),
            (json!({"jwt_secret": "short"}), "jwt_secret"),
            (
                json!({"jwt_secret": secret, "centre": {"office_hours": ["8-12"]}}),
                "centre.office_hours",
            ),
            (
                json!({"jwt_secret": secret, "mail": {"transport": "smtp"}}),
                "mail.smtp.host",
            ),
            (
                json!({"jwt_secret": DEVELOPMENT_JWT_SECRET, "database_url": "postgres://x/y"}),
                "jwt_secret",
            ),
        ];
        for (overrides, name) in cases {
            let err = load(overrides).unwrap_err().to_string();
            assert!(err.contains(&format!("`{name}`")), "{name}: {err}");
        }
    }

    #[test]
    fn defaults_give_the_embedded_sqlite_setup() {
        let settings = load(json!({"jwt_secret": "y".repeat(32)})).unwrap();
        assert_eq!(settings.database_url, "sqlite://lianban.db?mode=rwc");
        assert_eq!(settings.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(settings.office_hours().unwrap(), OfficeHours::standard());
        assert_eq!(settings.mail.transport, MailTransport::File);
    }
}
