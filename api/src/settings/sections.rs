//! The sections of the settings file, and the built-in defaults every layer starts from.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The service centre's own settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CentreSettings {
    /// Shown on notices and mail.
    pub name: String,
    /// Office hours of a working day, as `HH:MM-HH:MM` periods.
    pub office_hours: Vec<String>,
}

/// How mail leaves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailSettings {
    /// `file` (`.eml` files in `file_dir`, the embedded default) or `smtp`.
    pub transport: MailTransport,
    /// The From address.
    pub from: String,
    /// Folder for `.eml` files.
    pub file_dir: PathBuf,
    /// SMTP server.
    pub smtp: SmtpSettings,
    /// Delivery attempts before a message is marked failed.
    pub max_attempts: i32,
    /// The first retry waits this many seconds; each later one twice as long.
    pub retry_base_seconds: i64,
}

/// Mail transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files in a folder.
    File,
    /// An SMTP server.
    Smtp,
}

/// SMTP server settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub security: SmtpSecurity,
    /// User name, when the server wants one.
    pub username: Option<String>,
    /// Password, when the server wants one.
    #[serde(skip_serializing)]
    pub password: Option<SecretString>,
    /// A PEM file of certificate authorities to trust besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Upgrade with STARTTLS.
    Starttls,
    /// TLS from the first byte.
    Tls,
    /// Plain text (a local relay or a test server only).
    None,
}

/// 红黄绿灯 thresholds (SPEC §4).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LightSettings {
    /// A day-counted clock turns yellow with this many working days left.
    pub yellow_working_days: i64,
    /// A minute-counted clock (immediate cases) turns yellow with this many minutes left.
    pub yellow_working_minutes: i64,
}

/// 急事急办 — an urgent case's first reminder comes this long before its due time (instead of
/// when its light turns yellow).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct UrgentSettings {
    /// Working days before the due time, for day-counted clocks.
    pub reminder_working_days: i64,
    /// Working minutes before the due time, for minute-counted clocks.
    pub reminder_working_minutes: i64,
}

/// The defaults every layer starts from. `jwt_secret` has none on purpose: without one the
/// installation signs with keys of its own.
#[derive(Serialize)]
pub(super) struct Defaults {
    database_url: &'static str,
    database_max_connections: u32,
    bind: &'static str,
    base_url: &'static str,
    token_ttl_minutes: u32,
    centre: CentreSettings,
    mail: MailSettings,
    lights: LightSettings,
    workers: WorkersSettings,
    ladder: LadderSettings,
    urgent: UrgentSettings,
    http: super::HttpSettings,
    api: super::ApiSettings,
    metrics: super::MetricsSettings,
    sign_in: super::SignInSettings,
    sso: super::SsoSettings,
}

pub(super) fn defaults() -> Defaults {
    Defaults {
        database_url: "sqlite://lianban.db?mode=rwc",
        database_max_connections: 8,
        bind: "127.0.0.1:8080",
        base_url: "http://127.0.0.1:8080",
        token_ttl_minutes: 720,
        centre: CentreSettings {
            name: "政务服务中心".to_owned(),
            office_hours: vec!["08:00-12:00".to_owned(), "14:00-18:00".to_owned()],
        },
        mail: MailSettings {
            transport: MailTransport::File,
            from: "联办 <noreply@lianban.example>".to_owned(),
            file_dir: PathBuf::from("outbox"),
            smtp: SmtpSettings {
                host: String::new(),
                port: 587,
                security: SmtpSecurity::Starttls,
                username: None,
                password: None,
                ca_file: None,
            },
            max_attempts: 8,
            retry_base_seconds: 30,
        },
        lights: LightSettings {
            yellow_working_days: 1,
            yellow_working_minutes: 10,
        },
        workers: WorkersSettings {
            enabled: true,
            sweep: "0 * * * * *".to_owned(),
            send: "*/5 * * * * *".to_owned(),
            digest: "0 30 8 * * *".to_owned(),
            absences: "30 * * * * *".to_owned(),
            sweep_batch: 1000,
            sweep_streams: 2,
        },
        ladder: LadderSettings {
            yellow_card_after_days: 1,
            red_card_after_days: 3,
            daily_reminder_cap: 10,
        },
        urgent: UrgentSettings {
            reminder_working_days: 2,
            reminder_working_minutes: 20,
        },
        http: super::HttpSettings::defaults(),
        api: super::ApiSettings {
            graphiql: false,
            introspection: false,
        },
        sign_in: super::SignInSettings { password: true },
        sso: super::SsoSettings {
            issuer_url: None,
            client_id: "lianban".to_owned(),
            client_secret: None,
            subject_claim: super::SubjectClaim::Sub,
            label: "统一身份认证登录".to_owned(),
        },
        metrics: super::MetricsSettings {
            bind: None,
            token: None,
        },
    }
}

/// The scheduled workers (SPEC §5).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkersSettings {
    /// Whether `serve` runs the jobs too (`worker` always does).
    pub enabled: bool,
    /// The deadline sweep (cron with seconds).
    pub sweep: String,
    /// The outbox sender.
    pub send: String,
    /// The leadership digest, in Asia/Shanghai, on working days.
    pub digest: String,
    /// The absence switcher.
    pub absences: String,
    /// Clocks per sweep transaction.
    pub sweep_batch: u64,
    /// Concurrent streams of sweep batches on PostgreSQL (SQLite uses one).
    pub sweep_streams: usize,
}

/// The escalation ladder's numbers (SPEC §5).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LadderSettings {
    /// Working days overdue for 黄牌.
    pub yellow_card_after_days: u32,
    /// Working days overdue for 红牌.
    pub red_card_after_days: u32,
    /// Most daily overdue reminders per clock.
    pub daily_reminder_cap: u32,
}
