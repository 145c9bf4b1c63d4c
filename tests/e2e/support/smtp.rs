//! A real SMTP server for the mail tests: `scripts/smtp-sink.py` (aiosmtpd) on a free port,
//! writing each message it accepts, decoded, as a JSON line the test reads back. It can be
//! stopped and started again on the same port.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub message_id: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Whether it came over TLS (STARTTLS).
    pub tls: bool,
    /// Whether the client had logged in.
    pub authenticated: bool,
}

/// The running (or stopped) server.
pub struct SmtpSink {
    pub port: u16,
    out: PathBuf,
    /// Extra arguments: TLS certificate and key, the login it wants.
    secure: Vec<String>,
    _dir: tempfile::TempDir,
    child: Option<Child>,
}

fn python() -> String {
    std::env::var("LIANBAN_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/smtp-sink.py")
}

impl SmtpSink {
    /// Starts a server on a free port.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let mut sink = SmtpSink {
            port,
            out: dir.path().join("mail.jsonl"),
            secure: Vec::new(),
            _dir: dir,
            child: None,
        };
        sink.resume();
        sink
    }

    /// Starts a server that requires STARTTLS (or, `implicit`, TLS from the first byte) with
    /// `cert`/`key` (PEM) and the login `user`/`password`.
    pub fn start_secure(
        cert: &std::path::Path,
        key: &std::path::Path,
        user: &str,
        password: &str,
        implicit: bool,
    ) -> Self {
        let mut sink = SmtpSink::stopped();
        sink.secure = vec![
            "--tls-cert".to_owned(),
            cert.display().to_string(),
            "--tls-key".to_owned(),
            key.display().to_string(),
            "--auth".to_owned(),
            format!("{user}:{password}"),
        ];
        if implicit {
            sink.secure.push("--implicit-tls".to_owned());
        }
        sink.resume();
        sink
    }

    /// A port where nothing listens yet (the server is "down"); [`SmtpSink::resume`] starts it.
    pub fn stopped() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        SmtpSink {
            port,
            out: dir.path().join("mail.jsonl"),
            secure: Vec::new(),
            _dir: dir,
            child: None,
        }
    }

    /// Starts the server (again) on its port and waits until it listens.
    pub fn resume(&mut self) {
        let mut child = Command::new(python())
            .arg(script())
            .args(["--port", &self.port.to_string(), "--out"])
            .arg(&self.out)
            .args(&self.secure)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect(
                "start the SMTP server (LIANBAN_TEST_PYTHON with aiosmtpd; see scripts/services)",
            );
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        self.child = Some(child);
    }

    /// Stops the server: connections are refused until it resumes.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let Ok(text) = std::fs::read_to_string(&self.out) else {
            return Vec::new();
        };
        text.lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).unwrap();
                Received {
                    to: v["rcptTos"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().to_owned())
                        .collect(),
                    message_id: v["messageId"].as_str().unwrap_or("").to_owned(),
                    subject: v["subject"].as_str().unwrap_or("").to_owned(),
                    text: v["text"].as_str().unwrap_or("").to_owned(),
                    html: v["html"].as_str().unwrap_or("").to_owned(),
                    tls: v["tls"].as_bool().unwrap_or(false),
                    authenticated: v["authenticated"].as_bool().unwrap_or(false),
                }
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
