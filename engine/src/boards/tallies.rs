//! Folding the open-clock tallies: the triggers on `clocks` append a signed row for every change
//! (see the migration `m20261201_000011_board_tallies`); folding replaces the rows with one per
//! department and month, so the boards sum a few rows. Run by the sweep job; safe to run from several
//! workers at once (each folds only the rows it deleted).

use crate::engine::Engine;
use crate::error::Result;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

impl Engine {
    /// Folds the open-clock tallies into one row per department; returns how many rows were
    /// folded.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn fold_clock_tallies(&self) -> Result<u64> {
        let backend = self.db().get_database_backend();
        if backend == DbBackend::Postgres {
            // One statement: what is summed is exactly what was deleted, whatever commits
            // meanwhile.
            let done = self
                .db()
                .query_one_raw(Statement::from_string(
                    backend,
                    "WITH gone AS (DELETE FROM clock_tallies \
                            RETURNING department_id, month, open, paused, finished, on_time), \
                          folded AS (INSERT INTO clock_tallies \
                            (department_id, month, open, paused, finished, on_time) \
                            SELECT department_id, month, SUM(open), SUM(paused), SUM(finished), \
                              SUM(on_time) FROM gone GROUP BY department_id, month \
                            HAVING SUM(open) <> 0 OR SUM(paused) <> 0 OR SUM(finished) <> 0 \
                              OR SUM(on_time) <> 0) \
                     SELECT COUNT(*) AS n FROM gone",
                ))
                .await?;
            return Ok(done
                .map(|row| row.try_get::<i64>("", "n"))
                .transpose()?
                .unwrap_or(0) as u64);
        }
        let (gate, txn) = self.begin_write().await?;
        let top: Option<i64> = txn
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT MAX(id) AS top FROM clock_tallies",
            ))
            .await?
            .map(|row| row.try_get("", "top"))
            .transpose()?
            .flatten();
        let Some(top) = top else {
            txn.commit().await?;
            return Ok(0);
        };
        let count: i64 = txn
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "SELECT COUNT(*) AS n FROM clock_tallies WHERE id <= ?",
                [top.into()],
            ))
            .await?
            .map(|row| row.try_get("", "n"))
            .transpose()?
            .unwrap_or(0);
        if count > 1 {
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO clock_tallies (department_id, month, open, paused, finished, on_time) \
                 SELECT department_id, month, SUM(open), SUM(paused), SUM(finished), SUM(on_time) \
                 FROM clock_tallies WHERE id <= ? GROUP BY department_id, month \
                 HAVING SUM(open) <> 0 OR SUM(paused) <> 0 OR SUM(finished) <> 0 \
                   OR SUM(on_time) <> 0",
                [top.into()],
            ))
            .await?;
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                "DELETE FROM clock_tallies WHERE id <= ?",
                [top.into()],
            ))
            .await?;
        }
        txn.commit().await?;
        drop(gate);
        Ok(count as u64)
    }
}
