//! Settings turned into what the engine, the workers and the mailer take.

use super::{MailTransport, Settings, SmtpSecurity};
use lianban_engine::EngineSettings;
use lianban_rules::escalation::ladder::LadderSettings;
use lianban_rules::mail::RetryPolicy;
use lianban_workers::mail::TemplateContext;
use lianban_workers::schedule::Schedules;
use lianban_workers::{MailerConfig, SecurityMode, TransportConfig, WorkerSettings};

impl Settings {
    /// What the engine is built with.
    ///
    /// # Errors
    /// When the office hours are malformed (checked at load, so not after).
    pub fn engine_settings(&self) -> lianban_engine::Result<EngineSettings> {
        Ok(EngineSettings {
            centre_name: self.centre.name.clone(),
            office_hours: self.office_hours()?,
            ladder: LadderSettings {
                thresholds: self.thresholds(),
                yellow_card_after_days: self.ladder.yellow_card_after_days,
                red_card_after_days: self.ladder.red_card_after_days,
                daily_reminder_cap: self.ladder.daily_reminder_cap,
                urgent_reminder: lianban_rules::clocks::LightThresholds {
                    yellow_working_days: self.urgent.reminder_working_days,
                    yellow_working_minutes: self.urgent.reminder_working_minutes,
                },
            },
            password_sign_in: self.sign_in.password,
            single_sign_on: self
                .sso
                .issuer_url
                .is_some()
                .then(|| self.sso.label.clone()),
        })
    }

    /// The jobs' numbers.
    pub fn worker_settings(&self) -> WorkerSettings {
        WorkerSettings {
            sweep_batch: self.workers.sweep_batch,
            sweep_streams: self.workers.sweep_streams,
            send_batch: 100,
            retry: RetryPolicy {
                max_attempts: self.mail.max_attempts,
                base: chrono::Duration::seconds(self.mail.retry_base_seconds),
                ..RetryPolicy::default()
            },
        }
    }

    /// When each job runs.
    pub fn schedules(&self) -> Schedules {
        Schedules {
            sweep: self.workers.sweep.clone(),
            send: self.workers.send.clone(),
            digest: self.workers.digest.clone(),
            absences: self.workers.absences.clone(),
        }
    }

    /// Where mail goes.
    pub fn mailer_config(&self) -> MailerConfig {
        let transport = match self.mail.transport {
            MailTransport::File => TransportConfig::File {
                dir: self.mail.file_dir.clone(),
            },
            MailTransport::Smtp => TransportConfig::Smtp {
                host: self.mail.smtp.host.clone(),
                port: self.mail.smtp.port,
                security: match self.mail.smtp.security {
                    SmtpSecurity::Starttls => SecurityMode::Starttls,
                    SmtpSecurity::Tls => SecurityMode::Tls,
                    SmtpSecurity::None => SecurityMode::None,
                },
                credentials: match (&self.mail.smtp.username, &self.mail.smtp.password) {
                    (Some(user), Some(password)) => Some((user.clone(), password.clone())),
                    _ => None,
                },
                ca_file: self.mail.smtp.ca_file.clone(),
            },
        };
        MailerConfig {
            from: self.mail.from.clone(),
            transport,
            context: TemplateContext {
                centre: self.centre.name.clone(),
                base_url: self.base_url.clone(),
            },
        }
    }
}
