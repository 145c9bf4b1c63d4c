//! What the boards read instead of every open clock:
//! - each clock names the department it answers to (`clocks.department_id`: its task's, or the
//!   lead department's for a case's own clock), so no case or task is joined to count;
//! - `clock_tallies`, a maintained aggregate of open and paused clocks per department. Triggers
//!   on `clocks` append a signed row for every change of state or department (on PostgreSQL
//!   one row per department and statement, over the statement's transition tables; on SQLite
//!   one per clock), so writers never wait on each other for a counter; the sweep folds the rows
//!   into one per department. Counting open clocks is then a sum over a few rows;
//! - the same tallies count finished clocks, and how many by their due time, per department and
//!   month (Asia/Shanghai), so this month's on-time rate is a sum over a few rows too.
//!
//! No index is added over clocks: the sweep rewrites an open clock's row at every rung, and
//! each index on them would cost it a write.

use crate::ddl::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What one clock row adds to the tallies: open, paused, and — once stopped — one finished clock
/// (on time or not) in the month it stopped (Asia/Shanghai), as SQL over a row alias.
struct Parts {
    open: String,
    paused: String,
    finished: String,
    on_time: String,
    month: String,
}

fn parts(row: &str, backend: DbBackend) -> Parts {
    let stopped = format!("{row}.state = 'STOPPED' AND {row}.stopped_at IS NOT NULL");
    let (month, on_time) = match backend {
        DbBackend::Postgres => (
            format!("to_char({row}.stopped_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"),
            format!("{row}.stopped_at <= {row}.due_at"),
        ),
        _ => (
            format!("strftime('%Y-%m', {row}.stopped_at, '+8 hours')"),
            format!("julianday({row}.stopped_at) <= julianday({row}.due_at)"),
        ),
    };
    Parts {
        open: format!("CASE WHEN {row}.state IN ('RUNNING', 'PAUSED') THEN 1 ELSE 0 END"),
        paused: format!("CASE WHEN {row}.state = 'PAUSED' THEN 1 ELSE 0 END"),
        finished: format!("CASE WHEN {stopped} THEN 1 ELSE 0 END"),
        on_time: format!("CASE WHEN {stopped} AND {on_time} THEN 1 ELSE 0 END"),
        month: format!("CASE WHEN {stopped} THEN {month} END"),
    }
}

/// `SELECT department_id, month, open, paused, finished, on_time` of a row alias, signed.
fn contribution(table: &str, row: &str, sign: &str, backend: DbBackend) -> String {
    let p = parts(row, backend);
    let from = if table.is_empty() {
        String::new()
    } else {
        format!(" FROM {table} {row}")
    };
    format!(
        "SELECT {row}.department_id AS department_id, {} AS month, {sign}{} AS open, \
         {sign}{} AS paused, {sign}{} AS finished, {sign}{} AS on_time{from}",
        p.month, p.open, p.paused, p.finished, p.on_time
    )
}

/// Sums contributions into new tally rows, one per department and month.
fn insert_sum(sources: &str) -> String {
    format!(
        "INSERT INTO clock_tallies (department_id, month, open, paused, finished, on_time) \
         SELECT department_id, month, SUM(open), SUM(paused), SUM(finished), SUM(on_time) \
         FROM ({sources}) d GROUP BY department_id, month \
         HAVING SUM(open) <> 0 OR SUM(paused) <> 0 OR SUM(finished) <> 0 OR SUM(on_time) <> 0;"
    )
}

/// PostgreSQL: statement-level triggers over the transition tables.
fn postgres_triggers() -> Vec<String> {
    let pg = DbBackend::Postgres;
    let plus = contribution("new_rows", "n", "", pg);
    let minus = contribution("old_rows", "o", "-", pg);
    let function = |name: &str, body: String| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN {body} RETURN NULL; END $$"
        )
    };
    vec![
        function("clock_tallies_insert", insert_sum(&plus)),
        function(
            "clock_tallies_update",
            insert_sum(&format!("{plus} UNION ALL {minus}")),
        ),
        function("clock_tallies_delete", insert_sum(&minus)),
        "CREATE TRIGGER clocks_tally_insert AFTER INSERT ON clocks REFERENCING NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION clock_tallies_insert()"
            .to_owned(),
        "CREATE TRIGGER clocks_tally_update AFTER UPDATE ON clocks \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION clock_tallies_update()"
            .to_owned(),
        "CREATE TRIGGER clocks_tally_delete AFTER DELETE ON clocks REFERENCING OLD TABLE AS old_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION clock_tallies_delete()"
            .to_owned(),
    ]
}

/// SQLite: row-level triggers, only when the state, the department or the stop changes.
fn sqlite_triggers() -> Vec<String> {
    let lite = DbBackend::Sqlite;
    let add = |row: &str, sign: &str| insert_sum(&contribution("", row, sign, lite));
    vec![
        format!(
            "CREATE TRIGGER clocks_tally_insert AFTER INSERT ON clocks BEGIN {} END",
            add("NEW", "")
        ),
        format!(
            "CREATE TRIGGER clocks_tally_update AFTER UPDATE OF state, department_id, stopped_at \
             ON clocks WHEN OLD.state IS NOT NEW.state OR OLD.department_id IS NOT NEW.department_id \
             OR OLD.stopped_at IS NOT NEW.stopped_at BEGIN {} {} END",
            add("OLD", "-"),
            add("NEW", "")
        ),
        format!(
            "CREATE TRIGGER clocks_tally_delete AFTER DELETE ON clocks BEGIN {} END",
            add("OLD", "-")
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("clocks")
                    .add_column(uuid_null("department_id"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE clocks SET department_id = COALESCE( \
               (SELECT t.department_id FROM tasks t WHERE t.id = clocks.task_id), \
               (SELECT k.lead_department_id FROM cases k WHERE k.id = clocks.case_id))",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("clock_tallies")
                    .col(
                        ColumnDef::new("id")
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(uuid_null("department_id"))
                    // `YYYY-MM` for finished clocks; empty for the open and paused counts.
                    .col(text_null("month"))
                    .col(bigint("open"))
                    .col(bigint("paused"))
                    .col(bigint("finished"))
                    .col(bigint("on_time"))
                    .take(),
            )
            .await?;
        let backend = manager.get_database_backend();
        db.execute_unprepared(&insert_sum(&contribution("clocks", "c", "", backend)))
            .await?;
        let triggers = match backend {
            DbBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        };
        for sql in triggers {
            db.execute_unprepared(&sql).await?;
        }
        // The tallies answer what this index was for; the sweep rewrites every open clock's
        // row at each rung and paid for it there.
        manager
            .drop_index(
                Index::drop()
                    .name("idx_clocks_stopped")
                    .table("clocks")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for name in [
            "clocks_tally_insert",
            "clocks_tally_update",
            "clocks_tally_delete",
        ] {
            let sql = match manager.get_database_backend() {
                DbBackend::Postgres => format!("DROP TRIGGER {name} ON clocks"),
                _ => format!("DROP TRIGGER {name}"),
            };
            db.execute_unprepared(&sql).await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            for name in [
                "clock_tallies_insert",
                "clock_tallies_update",
                "clock_tallies_delete",
            ] {
                db.execute_unprepared(&format!("DROP FUNCTION {name}()"))
                    .await?;
            }
        }
        drop_tables(manager, &["clock_tallies"]).await?;
        manager
            .create_index(index("idx_clocks_stopped", "clocks", &["stopped_at"]))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("clocks")
                    .drop_column("department_id")
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
