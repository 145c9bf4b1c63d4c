//! 邮件 — turning an outbox row into an email and handing it to a transport: SMTP
//! (STARTTLS, TLS or plain, with credentials) in production, `.eml` files in a folder on the
//! embedded default, and memory for tests that assert on what was sent. Every email carries the
//! outbox row's stable Message-ID, so a resend after a crash is recognisably the same message.

mod templates;

pub use templates::{Rendered, TemplateContext, render};

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lianban_engine::views::OutboxMessageView;
use lianban_rules::mail::{Mail, MailFacts};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A mail failure; the sender retries.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message could not be built (a bad address).
    #[error("cannot build the message: {0}")]
    Build(String),
    /// The transport refused or could not be reached.
    #[error("transport: {0}")]
    Transport(String),
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityMode {
    /// Upgrade with STARTTLS (submission, port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain text: a local relay or a test server only.
    None,
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum TransportConfig {
    /// An SMTP server.
    Smtp {
        /// Host name.
        host: String,
        /// Port.
        port: u16,
        /// Security.
        security: SecurityMode,
        /// User and password, when the server wants them.
        credentials: Option<(String, SecretString)>,
        /// A PEM file of certificate authorities to trust besides the system's (a centre's own
        /// mail server with an internal CA).
        ca_file: Option<PathBuf>,
    },
    /// `.eml` files in a folder.
    File {
        /// The folder.
        dir: PathBuf,
    },
    /// Kept in memory (tests).
    Memory,
}

/// What the mailer needs.
#[derive(Debug, Clone)]
pub struct MailerConfig {
    /// The From address (`联办 <noreply@…>`).
    pub from: String,
    /// Where mail goes.
    pub transport: TransportConfig,
    /// The centre's name and public address, for the text and links.
    pub context: TemplateContext,
}

/// An email as the memory transport keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMail {
    /// The Message-ID header.
    pub message_id: String,
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The plain text.
    pub text: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    Memory(Arc<Mutex<Vec<SentMail>>>),
}

/// Sends outbox messages.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    context: TemplateContext,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::File(_) => "file",
            Transport::Memory(_) => "memory",
        };
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .field("transport", &kind)
            .finish()
    }
}

/// TLS parameters for `host` trusting the authorities in the PEM file at `path` as well.
fn tls_with_ca(host: &str, path: &std::path::Path) -> Result<TlsParameters, MailError> {
    let pem = std::fs::read(path)
        .map_err(|e| MailError::Build(format!("mail.smtp.ca_file {}: {e}", path.display())))?;
    let ca = Certificate::from_pem(&pem)
        .map_err(|e| MailError::Build(format!("mail.smtp.ca_file {}: {e}", path.display())))?;
    TlsParameters::builder(host.to_owned())
        .add_root_certificate(ca)
        .build_rustls()
        .map_err(|e| MailError::Build(format!("TLS for {host}: {e}")))
}

impl Mailer {
    /// Builds a mailer.
    ///
    /// # Errors
    /// A [`MailError`] for a bad From address, SMTP host, or an unusable folder.
    pub fn new(config: MailerConfig) -> Result<Self, MailError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| MailError::Build(format!("from `{}`: {e}", config.from)))?;
        let transport = match config.transport {
            TransportConfig::Smtp {
                host,
                port,
                security,
                credentials,
                ca_file,
            } => {
                let builder = match security {
                    SecurityMode::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)
                            .map_err(|e| MailError::Transport(e.to_string()))?
                    }
                    SecurityMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)
                        .map_err(|e| MailError::Transport(e.to_string()))?,
                    SecurityMode::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)
                    }
                };
                let mut builder = builder.port(port).timeout(Some(Duration::from_secs(15)));
                if let (Some(path), false) = (ca_file, security == SecurityMode::None) {
                    let params = tls_with_ca(&host, &path)?;
                    builder = builder.tls(if security == SecurityMode::Tls {
                        Tls::Wrapper(params)
                    } else {
                        Tls::Required(params)
                    });
                }
                if let Some((user, password)) = credentials {
                    builder = builder
                        .credentials(Credentials::new(user, password.expose_secret().to_owned()));
                }
                Transport::Smtp(builder.build())
            }
            TransportConfig::File { dir } => {
                std::fs::create_dir_all(&dir).map_err(|e| {
                    MailError::Transport(format!("mail folder {}: {e}", dir.display()))
                })?;
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
            TransportConfig::Memory => Transport::Memory(Arc::new(Mutex::new(Vec::new()))),
        };
        Ok(Mailer {
            from,
            transport,
            context: config.context,
        })
    }

    /// What the memory transport holds (empty for other transports).
    pub fn sent(&self) -> Vec<SentMail> {
        match &self.transport {
            Transport::Memory(sent) => sent.lock().map(|s| s.clone()).unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Renders `mail` (with the case's `facts`) and sends it as the outbox `message`.
    ///
    /// # Errors
    /// A [`MailError`] when it cannot be built or delivered.
    pub async fn send(
        &self,
        message: &OutboxMessageView,
        mail: &Mail,
        facts: Option<&MailFacts>,
    ) -> Result<(), MailError> {
        let rendered = render(mail, facts, &self.context);
        let to: Mailbox = message
            .recipient_email
            .parse()
            .map_err(|e| MailError::Build(format!("to `{}`: {e}", message.recipient_email)))?;
        let message_id = format!("<{}@lianban>", message.message_id);
        let email = Message::builder()
            .message_id(Some(message_id.clone()))
            .from(self.from.clone())
            .to(to)
            .subject(rendered.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                rendered.text.clone(),
                rendered.html,
            ))
            .map_err(|e| MailError::Build(e.to_string()))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Transport(e.to_string())),
            Transport::File(file) => file
                .send(email)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Transport(e.to_string())),
            Transport::Memory(sent) => {
                let mut sent = sent
                    .lock()
                    .map_err(|_| MailError::Transport("memory poisoned".into()))?;
                sent.push(SentMail {
                    message_id,
                    to: message.recipient_email.clone(),
                    subject: rendered.subject,
                    text: rendered.text,
                });
                Ok(())
            }
        }
    }
}
