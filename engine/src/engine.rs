//! The [`Engine`]: the database, the clock and the calendar every operation needs.

use crate::calendar::WorkingCalendar;
use crate::clock::Clock;
use crate::error::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use std::sync::Arc;

/// Lianban's engine. Cheap to clone; every operation is a method on it (see the `cases`,
/// `auth`, `staff`, `catalogue` and `demo` modules).
#[derive(Clone, Debug)]
pub struct Engine {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    calendar: Arc<WorkingCalendar>,
}

impl Engine {
    /// An engine over `db`, reading time from `clock`, counting deadlines on `calendar`.
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, calendar: WorkingCalendar) -> Self {
        Engine {
            db,
            clock,
            calendar: Arc::new(calendar),
        }
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

    /// The working calendar.
    pub fn calendar(&self) -> &WorkingCalendar {
        &self.calendar
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so a read followed by a write never fails on a stale snapshot; on
    /// PostgreSQL it is an ordinary `READ COMMITTED` transaction whose row locks serialise
    /// writers of the same case.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(self.db.begin_with_options(options).await?)
    }
}
