//! Writes that go to the database together. On PostgreSQL a batch is one statement — every
//! write but the last a data-modifying `WITH` part — so it costs one round trip and is atomic
//! even outside a transaction (foreign keys are checked at the end of the statement, so the
//! parts may refer to each other's rows). SQLite has no data-modifying `WITH`: there the writes
//! run one after another, inside the caller's transaction.
//!
//! The parts of one batch see the database as it was before the batch: no part may read what
//! another writes, and no two parts may change the same row.

use crate::error::Result;
use sea_orm::{ConnectionTrait, DbBackend, Statement, StatementBuilder};

/// Writes gathered for one round trip.
#[derive(Debug)]
pub(crate) struct Batch {
    backend: DbBackend,
    parts: Vec<Statement>,
}

impl Batch {
    /// An empty batch for `backend`.
    pub(crate) fn new(backend: DbBackend) -> Batch {
        Batch {
            backend,
            parts: Vec::new(),
        }
    }

    /// The backend the batch is for.
    pub(crate) fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Adds a write built with sea-query.
    pub(crate) fn push(&mut self, write: &impl StatementBuilder) {
        self.parts.push(self.backend.build(write));
    }

    /// Adds a hand-written statement (for this batch's backend).
    pub(crate) fn push_statement(&mut self, write: Statement) {
        self.parts.push(write);
    }

    /// Runs the writes: one statement on PostgreSQL, one after another elsewhere (call it
    /// inside a transaction there).
    ///
    /// # Errors
    /// `INTERNAL` (or what the database's refusal maps to) when a write is refused; on
    /// PostgreSQL nothing of the batch is then written.
    pub(crate) async fn run<C: ConnectionTrait>(self, db: &C) -> Result<()> {
        if self.backend != DbBackend::Postgres || self.parts.len() == 1 {
            for part in self.parts {
                db.execute_raw(part).await?;
            }
            return Ok(());
        }
        if let Some(one) = joined(self.parts) {
            db.execute_raw(one).await?;
        }
        Ok(())
    }
}

/// The parts as one PostgreSQL statement: `WITH w0 AS (…), w1 AS (…) <last>`, each part's
/// `$n` placeholders moved past those of the parts before it.
fn joined(parts: Vec<Statement>) -> Option<Statement> {
    let count = parts.len();
    let mut sql = String::new();
    let mut values = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        let shifted = shift_placeholders(&part.sql, values.len());
        if i + 1 < count {
            sql.push_str(if i == 0 { "WITH " } else { ", " });
            sql.push_str(&format!("w{i} AS ({shifted})"));
        } else {
            sql.push(' ');
            sql.push_str(&shifted);
        }
        if let Some(v) = part.values {
            values.extend(v.0);
        }
    }
    (count > 0).then(|| Statement::from_sql_and_values(DbBackend::Postgres, sql.trim(), values))
}

/// `sql` with every `$n` placeholder outside quotes and identifiers renumbered `$(n + by)`.
fn shift_placeholders(sql: &str, by: usize) -> String {
    if by == 0 {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                let n: usize = digits.parse().unwrap_or(0);
                out.push_str(&format!("${}", n + by));
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_move_past_the_parts_before_and_quoted_text_stays() {
        assert_eq!(
            shift_placeholders("UPDATE t SET a = $1, b = '$2' WHERE \"$3\" = $12", 5),
            "UPDATE t SET a = $6, b = '$2' WHERE \"$3\" = $17"
        );
        assert_eq!(shift_placeholders("SELECT $1", 0), "SELECT $1");
    }

    #[test]
    fn a_batch_on_postgres_is_one_statement_with_its_values_in_order() {
        let parts = vec![
            Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO a (x) VALUES ($1)",
                [1i32.into()],
            ),
            Statement::from_sql_and_values(
                DbBackend::Postgres,
                "UPDATE b SET y = $1 WHERE id = $2",
                [2i32.into(), 3i32.into()],
            ),
            Statement::from_sql_and_values(
                DbBackend::Postgres,
                "INSERT INTO c (z) VALUES ($1)",
                [4i32.into()],
            ),
        ];
        let one = joined(parts).expect("a statement");
        assert_eq!(
            one.sql,
            "WITH w0 AS (INSERT INTO a (x) VALUES ($1)), w1 AS (UPDATE b SET y = $2 WHERE id = $3) \
             INSERT INTO c (z) VALUES ($4)"
        );
        let values: Vec<sea_orm::Value> = one.values.expect("values").0;
        assert_eq!(
            values,
            vec![1i32.into(), 2i32.into(), 3i32.into(), 4i32.into()]
        );
    }
}
