//! The open-clock tallies on PostgreSQL follow only the updates that change them. The
//! statement-level update trigger of `m20261201_000011_board_tallies` ran for every update of
//! `clocks` and gathered both transition tables, though most updates — the sweep moving 1,000
//! clocks up the ladder at a time — change nothing a tally counts: a third of the sweep's clock
//! update went to it. It becomes a row-level trigger that fires only when a clock's state,
//! department or stop changes (or a stopped clock's due time), as SQLite's always did; each such
//! update appends its signed rows, and the sweep folds them as before. Insert and delete keep
//! their statement-level triggers. The old trigger's function is kept for `down`. SQLite's
//! row-level trigger now also follows a stopped clock's due time, as PostgreSQL's does.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One clock row's signed share of the tallies, as SQL over the row alias `r`.
fn share(sign: &str) -> String {
    format!(
        "SELECT r.department_id AS department_id, \
           CASE WHEN r.state = 'STOPPED' AND r.stopped_at IS NOT NULL \
             THEN to_char(r.stopped_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') END AS month, \
           {sign}CASE WHEN r.state IN ('RUNNING', 'PAUSED') THEN 1 ELSE 0 END AS open, \
           {sign}CASE WHEN r.state = 'PAUSED' THEN 1 ELSE 0 END AS paused, \
           {sign}CASE WHEN r.state = 'STOPPED' AND r.stopped_at IS NOT NULL THEN 1 ELSE 0 END AS finished, \
           {sign}CASE WHEN r.state = 'STOPPED' AND r.stopped_at IS NOT NULL \
             AND r.stopped_at <= r.due_at THEN 1 ELSE 0 END AS on_time"
    )
}

/// SQLite's update trigger as `m20261201_000011_board_tallies` made it, and as this step makes it.
const SQLITE_BEFORE: &str = "AFTER UPDATE OF state, department_id, stopped_at ON clocks \
     WHEN OLD.state IS NOT NEW.state OR OLD.department_id IS NOT NEW.department_id \
     OR OLD.stopped_at IS NOT NEW.stopped_at BEGIN";
const SQLITE_AFTER: &str = "AFTER UPDATE OF state, department_id, stopped_at, due_at ON clocks \
     WHEN OLD.state IS NOT NEW.state OR OLD.department_id IS NOT NEW.department_id \
     OR OLD.stopped_at IS NOT NEW.stopped_at \
     OR (NEW.state = 'STOPPED' AND OLD.due_at IS NOT NEW.due_at) BEGIN";

/// Rewrites SQLite's update trigger with the head `from` replaced by `to` (its body unchanged).
async fn sqlite_retrigger(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let sql: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'clocks_tally_update'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("clocks_tally_update is missing".to_owned()))?
        .try_get("", "sql")?;
    if !sql.contains(from) {
        return Err(DbErr::Migration(format!(
            "clocks_tally_update is not as expected: {sql}"
        )));
    }
    db.execute_unprepared("DROP TRIGGER clocks_tally_update")
        .await?;
    db.execute_unprepared(&sql.replace(from, to)).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            return sqlite_retrigger(manager, SQLITE_BEFORE, SQLITE_AFTER).await;
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TRIGGER clocks_tally_update ON clocks")
            .await?;
        db.execute_unprepared(&format!(
            "CREATE FUNCTION clock_tallies_update_row() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
               INSERT INTO clock_tallies (department_id, month, open, paused, finished, on_time) \
               SELECT department_id, month, SUM(open), SUM(paused), SUM(finished), SUM(on_time) \
               FROM ({} FROM (SELECT NEW.*) r UNION ALL {} FROM (SELECT OLD.*) r) d \
               GROUP BY department_id, month \
               HAVING SUM(open) <> 0 OR SUM(paused) <> 0 OR SUM(finished) <> 0 \
                 OR SUM(on_time) <> 0; \
               RETURN NULL; \
             END $$",
            share(""),
            share("-")
        ))
        .await?;
        db.execute_unprepared(
            "CREATE TRIGGER clocks_tally_update \
             AFTER UPDATE OF state, department_id, stopped_at, due_at ON clocks FOR EACH ROW \
             WHEN (OLD.state IS DISTINCT FROM NEW.state \
               OR OLD.department_id IS DISTINCT FROM NEW.department_id \
               OR OLD.stopped_at IS DISTINCT FROM NEW.stopped_at \
               OR (NEW.state = 'STOPPED' AND OLD.due_at IS DISTINCT FROM NEW.due_at)) \
             EXECUTE FUNCTION clock_tallies_update_row()",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            return sqlite_retrigger(manager, SQLITE_AFTER, SQLITE_BEFORE).await;
        }
        let db = manager.get_connection();
        db.execute_unprepared("DROP TRIGGER clocks_tally_update ON clocks")
            .await?;
        db.execute_unprepared("DROP FUNCTION clock_tallies_update_row()")
            .await?;
        db.execute_unprepared(
            "CREATE TRIGGER clocks_tally_update AFTER UPDATE ON clocks \
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
             FOR EACH STATEMENT EXECUTE FUNCTION clock_tallies_update()",
        )
        .await?;
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
