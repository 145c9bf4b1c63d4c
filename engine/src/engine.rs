//! The [`Engine`]: the database, the clock, the working calendar and the light thresholds
//! every operation needs.

use crate::clock::Clock;
use crate::error::{During, Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::calendar_year_version;
use lianban_rules::calendar::{OfficeHours, WorkingCalendar, YearSchedule, YearText, schedule};
use lianban_rules::clocks::LightThresholds;
use lianban_rules::escalation::ladder::LadderSettings;
use sea_orm::DbBackend;
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryOrder,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The calendar in force, the database revision it was built from, and when that was last
/// checked.
#[derive(Debug)]
struct CalendarCache {
    revision: u64,
    calendar: Arc<WorkingCalendar>,
    checked: Option<Instant>,
}

/// The longest a writer waits for its turn on SQLite before giving up with an error (a stalled
/// queue is a bug; it must not hang a request).
const WRITER_WAIT: Duration = Duration::from_secs(60);

/// How long a checked calendar is trusted before the database is asked again (another process
/// may have saved a version meanwhile).
const CALENDAR_RECHECK: Duration = Duration::from_secs(2);

/// A place in the queue of writers (SQLite); released when dropped.
#[derive(Debug)]
pub struct WriteGate(#[allow(dead_code)] Option<OwnedMutexGuard<()>>);

/// What the engine is configured with (from the centre's settings).
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// The centre's name, as notices and mail sign it.
    pub centre_name: String,
    /// Office hours of a working day.
    pub office_hours: OfficeHours,
    /// When lights turn yellow and the escalation ladder's numbers.
    pub ladder: LadderSettings,
    /// Whether staff may sign in with a password (false once single sign-on is the only way).
    pub password_sign_in: bool,
    /// Single sign-on's button text, when it is set up.
    pub single_sign_on: Option<String>,
}

/// Lianban's engine. Cheap to clone; every operation is a method on it (see the `cases`,
/// `auth`, `staff`, `catalogue`, `calendar_admin` and `demo` modules).
#[derive(Clone, Debug)]
pub struct Engine {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    centre_name: Arc<str>,
    hours: OfficeHours,
    ladder: LadderSettings,
    password_sign_in: bool,
    single_sign_on: Option<Arc<str>>,
    calendar: Arc<RwLock<CalendarCache>>,
    /// SQLite's queue of writers; `None` on PostgreSQL.
    writers: Option<Arc<Mutex<()>>>,
    /// Departments and matters in memory (see `reference`).
    pub(crate) reference: crate::store::reference::ReferenceSlot,
    /// The actors of recent requests (see [`Engine::session_actor`]).
    pub(crate) sessions: Arc<crate::access::Sessions>,
}

impl Engine {
    /// An engine over `db`, reading time from `clock`, counting deadlines in the centre's office
    /// hours on the shipped holiday data (call [`Engine::sync_calendar`] to add the centre's own
    /// versions).
    ///
    /// # Errors
    /// `INTERNAL` when the shipped holiday data is broken.
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: EngineSettings,
    ) -> Result<Self> {
        let EngineSettings {
            centre_name,
            office_hours: hours,
            ladder,
            password_sign_in,
            single_sign_on,
        } = settings;
        let shipped: Vec<(YearSchedule, i32)> =
            schedule::shipped()?.into_iter().map(|y| (y, 0)).collect();
        let calendar = Arc::new(WorkingCalendar::with_years(hours.clone(), &shipped));
        let writers =
            (db.get_database_backend() == DbBackend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Engine {
            writers,
            reference: Arc::default(),
            sessions: Arc::default(),
            db,
            clock,
            centre_name: centre_name.into(),
            hours,
            ladder,
            password_sign_in,
            single_sign_on: single_sign_on.map(Into::into),
            calendar: Arc::new(RwLock::new(CalendarCache {
                revision: 0,
                calendar,
                checked: None,
            })),
        })
    }

    /// The database connection.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The current instant, from the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The centre's name.
    pub fn centre_name(&self) -> &str {
        &self.centre_name
    }

    /// Whether staff may sign in with a password.
    pub fn password_sign_in(&self) -> bool {
        self.password_sign_in
    }

    /// Single sign-on's button text, when it is set up.
    pub fn single_sign_on(&self) -> Option<&str> {
        self.single_sign_on.as_deref()
    }

    /// When lights turn yellow.
    pub fn thresholds(&self) -> LightThresholds {
        self.ladder.thresholds
    }

    /// The escalation ladder's numbers.
    pub fn ladder(&self) -> &LadderSettings {
        &self.ladder
    }

    /// The working calendar in force (as last synchronised).
    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        match self.calendar.read() {
            Ok(cache) => cache.calendar.clone(),
            Err(poisoned) => poisoned.into_inner().calendar.clone(),
        }
    }

    /// Brings the calendar up to date with the centre admin's versions in the database (another
    /// process may have saved one) and returns it. One `COUNT` when nothing changed.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault or a stored version that no longer parses.
    pub async fn sync_calendar(&self) -> Result<Arc<WorkingCalendar>> {
        {
            let cache = self.calendar.read().unwrap_or_else(|p| p.into_inner());
            if cache
                .checked
                .is_some_and(|at| at.elapsed() < CALENDAR_RECHECK)
            {
                return Ok(cache.calendar.clone());
            }
        }
        self.reload_calendar().await
    }

    /// Reloads the calendar if the database holds a newer revision, whenever it was last checked.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault or a stored version that no longer parses.
    pub async fn reload_calendar(&self) -> Result<Arc<WorkingCalendar>> {
        let revision = calendar_year_version::Entity::find()
            .count(&self.db)
            .await?;
        let cached = match self.calendar.read() {
            Ok(cache) => (cache.revision, cache.calendar.clone()),
            Err(poisoned) => {
                let cache = poisoned.into_inner();
                (cache.revision, cache.calendar.clone())
            }
        };
        if cached.0 == revision {
            let mut cache = self.calendar.write().unwrap_or_else(|p| p.into_inner());
            cache.checked = Some(Instant::now());
            return Ok(cached.1);
        }
        let versions = calendar_year_version::Entity::find()
            .order_by_asc(calendar_year_version::Column::Year)
            .order_by_asc(calendar_year_version::Column::Version)
            .all(&self.db)
            .await?;
        let calendar = Arc::new(self.build_calendar(&versions)?);
        let mut cache = self.calendar.write().unwrap_or_else(|p| p.into_inner());
        if cache.revision <= revision {
            *cache = CalendarCache {
                revision,
                calendar: calendar.clone(),
                checked: Some(Instant::now()),
            };
        }
        Ok(calendar)
    }

    /// The calendar of the shipped data overlaid by stored versions (later ones win).
    pub(crate) fn build_calendar(
        &self,
        versions: &[calendar_year_version::Model],
    ) -> Result<WorkingCalendar> {
        let mut years: Vec<(YearSchedule, i32)> =
            schedule::shipped()?.into_iter().map(|y| (y, 0)).collect();
        for version in versions {
            years.push((stored_year(version)?, version.version));
        }
        Ok(WorkingCalendar::with_years(self.hours.clone(), &years))
    }

    /// Begins a transaction that will write; keep the gate until the transaction ends.
    ///
    /// On SQLite, which has one writer at a time, writers queue in this process first (a fair
    /// queue, instead of SQLite's busy-wait sleeps), then take the write lock at once
    /// (`BEGIN IMMEDIATE`), so a read followed by a write never fails on a stale snapshot. On
    /// PostgreSQL it is an ordinary `READ COMMITTED` transaction whose row locks serialise
    /// writers of the same case. Public for what writes beside the engine's verbs in the same
    /// process (the benchmarks' plain-SQL ceiling), so that it queues with them.
    ///
    /// # Errors
    /// `INTERNAL` when the queue does not move for a minute or the database refuses.
    pub async fn begin_write(&self) -> Result<(WriteGate, DatabaseTransaction)> {
        let gate = match &self.writers {
            Some(queue) => {
                let place = tokio::time::timeout(WRITER_WAIT, queue.clone().lock_owned())
                    .await
                    .map_err(|_| {
                        Error::Internal(
                            "the SQLite writers' queue did not move for a minute".into(),
                        )
                    })?;
                WriteGate(Some(place))
            }
            None => WriteGate(None),
        };
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let txn = self
            .db
            .begin_with_options(options)
            .await
            .during("beginning a write transaction")?;
        Ok((gate, txn))
    }
}

/// A stored version as a schedule.
fn stored_year(version: &calendar_year_version::Model) -> Result<YearSchedule> {
    let text = YearText {
        year: version.year,
        source: version.source.clone(),
        holidays: serde_json::from_value(version.holidays.clone())
            .map_err(|e| Error::Internal(format!("calendar {} holidays: {e}", version.year)))?,
        make_up_days: serde_json::from_value(version.make_up_days.clone())
            .map_err(|e| Error::Internal(format!("calendar {} make-up days: {e}", version.year)))?,
    };
    text.check().map_err(|e| {
        Error::Internal(format!(
            "calendar {} v{}: {e}",
            version.year, version.version
        ))
    })
}
