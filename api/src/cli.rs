//! The `lianban` command line: `serve`, `worker`, `tick`, `migrate`, `demo`, `schema`,
//! `rotate-signing-key`, `admin create`.

use crate::settings::Settings;
use crate::startup::{Application, build_engine, build_workers};
use clap::{Parser, Subcommand};
use lianban_engine::demo::{ACCOUNTS, DEMO_PASSWORD, DEPARTMENTS, DemoOutcome};
use lianban_engine::organisation::{Installation, NewAdmin};
use lianban_engine::{Engine, SystemClock};
use lianban_workers::schedule;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// 联办 Lianban — joint approvals for government service centres.
#[derive(Debug, Parser)]
#[command(name = "lianban", version)]
pub struct Cli {
    /// Settings file (TOML); `LIANBAN_*` environment variables override it.
    #[arg(long, global = true, default_value = "lianban.toml")]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

/// What to run.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve GraphQL at /graphql, /healthz and the pages (GraphiQL,
    /// introspection and /metrics as the settings say); the scheduled jobs run in the same
    /// process unless `workers.enabled` is false.
    Serve {
        /// Load the demo centre first when the database is empty, print its accounts, and turn
        /// GraphiQL and introspection on.
        #[arg(long)]
        demo: bool,
    },
    /// Make a new key sign the installation's sign-in tokens; tokens signed by the previous key
    /// stay valid until they expire. (Not for a configured `jwt_secret`: change that setting.)
    RotateSigningKey,
    /// Run the scheduled jobs only (deadline sweep, mail, digest, absences) until stopped.
    Worker,
    /// Run the frequent jobs once as of an instant (default: now) and exit: the absence switcher,
    /// the deadline sweep and the sender; with --digest, the leadership digest too.
    Tick {
        /// The instant, RFC 3339 (e.g. 2026-11-30T10:00:00Z).
        #[arg(long)]
        at: Option<chrono::DateTime<chrono::Utc>>,
        /// Also queue the leadership digest.
        #[arg(long)]
        digest: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the demo centre into an empty database, print its accounts, and exit.
    Demo {
        /// Only the demo's matters (事项), onto a real centre's departments of the same codes
        /// (SCJG, XFJY, STHJ, WSJK, CSGL) and their posts 审批岗 — to try the walkthrough with
        /// the centre's own people before its own catalogue exists.
        #[arg(long)]
        catalogue: bool,
    },
    /// Print the GraphQL schema (SDL), as exported to `api/schema.graphql`, and exit.
    Schema,
    /// The centre's administrators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// `lianban admin …`
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a centre admin. On an empty database this sets the centre up: the centre (named
    /// by `centre.name` in the settings unless --centre says otherwise) and its management
    /// office. On a real centre it adds another admin (to recover a lost one). The password is
    /// read from the terminal (asked twice), or as one line from standard input — never from
    /// an argument.
    Create {
        /// Sign-in name (letters, digits, '.', '_', '-').
        #[arg(long)]
        username: String,
        /// Full name (姓名).
        #[arg(long)]
        name: String,
        /// Mail address (password links and alerts go here).
        #[arg(long)]
        email: String,
        /// The centre's name, when this creates it (default: the settings' centre.name).
        #[arg(long)]
        centre: Option<String>,
        /// The admin's department: its code.
        #[arg(long, default_value = "ZXGLB")]
        department_code: String,
        /// The department's name, when this creates it.
        #[arg(long, default_value = "政务服务中心管理办公室")]
        department_name: String,
        /// The identity the single sign-on provider knows the admin by (to sign in through it,
        /// as when password sign-in is off).
        #[arg(long)]
        sso_subject: Option<String>,
    },
}

/// Runs the command line.
///
/// # Errors
/// Any start-up failure, with what was being done when it happened.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Schema = cli.command {
        write!(std::io::stdout().lock(), "{}", crate::graphql::sdl())?;
        return Ok(());
    }
    let mut settings = Settings::load(&cli.config)?;
    if matches!(cli.command, Command::RotateSigningKey) && settings.jwt_secret.is_some() {
        anyhow::bail!(
            "this installation signs tokens with the configured jwt_secret, not with keys of its own: change that setting (on every process) to rotate it"
        );
    }
    let engine = build_engine(&settings, Arc::new(SystemClock)).await?;
    match cli.command {
        Command::Migrate => {
            tracing::info!("migrations applied");
        }
        Command::Schema => {}
        Command::Demo { catalogue: false } => load_demo(&engine).await?,
        Command::Demo { catalogue: true } => {
            let loaded = engine.load_demo_catalogue().await?;
            writeln!(
                std::io::stdout().lock(),
                "The demo's {loaded} matters were loaded onto the centre's departments."
            )?;
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    username,
                    name,
                    email,
                    centre,
                    department_code,
                    department_name,
                    sso_subject,
                },
        } => {
            let password = read_new_password()?;
            let created = engine
                .create_admin(NewAdmin {
                    username,
                    name,
                    email,
                    password,
                    centre_name: centre.unwrap_or_else(|| settings.centre.name.clone()),
                    department_code,
                    department_name,
                    sso_subject,
                })
                .await?;
            let mut out = std::io::stdout().lock();
            if created.new_centre {
                writeln!(out, "Centre {} set up.", created.centre)?;
            }
            writeln!(
                out,
                "Centre admin {} ({}) created: sign in at {}/ and build the organisation under 管理 (/admin).",
                created.staff.username,
                created.staff.display_name,
                settings.base_url.trim_end_matches('/')
            )?;
        }
        Command::RotateSigningKey => {
            let key = engine.rotate_signing_key().await?;
            writeln!(
                std::io::stdout().lock(),
                "New signing key {} (generation {}) now signs sign-in tokens. Tokens signed by the previous key stay valid until they expire (at most {} minutes).",
                key.kid,
                key.generation,
                settings.token_ttl_minutes
            )?;
        }
        Command::Serve { demo } => {
            if demo {
                load_demo(&engine).await?;
                settings.api.graphiql = true;
                settings.api.introspection = true;
            } else if engine.installation().await? == Installation::Empty {
                tracing::warn!(
                    "this database holds no centre yet: create its first centre admin with `lianban admin create --username … --name … --email …` (the password is asked for), then sign in"
                );
            }
            let workers = Arc::new(build_workers(&settings, engine)?);
            let jobs = if settings.workers.enabled {
                Some(schedule::start(workers.clone(), &settings.schedules()).await?)
            } else {
                None
            };
            let app = Application::build(&settings, workers).await?;
            let addr = app.local_addr()?;
            tracing::info!(%addr, "serving GraphQL at http://{addr}/graphql");
            // On SIGTERM or Ctrl-C: stop accepting, finish the requests in flight, then let the
            // running job finish.
            app.run_until_stopped().await?;
            if let Some(jobs) = jobs {
                jobs.stop().await?;
            }
            tracing::info!("stopped");
        }
        Command::Worker => {
            let workers = Arc::new(build_workers(&settings, engine)?);
            let jobs = schedule::start(workers, &settings.schedules()).await?;
            tracing::info!("workers running");
            crate::startup::shutdown_signal().await;
            jobs.stop().await?;
            tracing::info!("stopped");
        }
        Command::Tick { at, digest } => {
            let workers = build_workers(&settings, engine)?;
            let now = at.unwrap_or_else(|| workers.engine.now());
            let outcome = workers.tick(now).await?;
            let digested = if digest {
                workers.digest(now).await?
            } else {
                0
            };
            let sent = workers.send(now).await?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "tick at {now}: {outcome:?}; digest messages {digested}; sent after digest {sent:?}"
            )?;
        }
    }
    Ok(())
}

/// A new password: asked twice on a terminal, else one line of standard input.
fn read_new_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 10 characters): ")?;
        let again = rpassword::prompt_password("The same password again: ")?;
        if first != again {
            anyhow::bail!("the two passwords differ; nothing was created");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

async fn load_demo(engine: &Engine) -> anyhow::Result<()> {
    let outcome = engine.load_demo().await?;
    let mut out = std::io::stdout().lock();
    match outcome {
        DemoOutcome::AlreadyPresent => {
            writeln!(
                out,
                "The database already holds a centre; the demo was not loaded again."
            )?;
        }
        DemoOutcome::Loaded => writeln!(out, "Demo centre loaded.")?,
    }
    writeln!(out, "Demo accounts (password for all: {DEMO_PASSWORD}):")?;
    for account in ACCOUNTS {
        let department = DEPARTMENTS
            .iter()
            .find(|(code, _)| *code == account.department)
            .map_or("", |(_, name)| name);
        let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
        writeln!(
            out,
            "  {:<12} {}  {}  {}",
            account.username,
            account.name,
            department,
            roles.join(",")
        )?;
    }
    Ok(())
}
