//! Claiming a batch of due clocks and everything the ladder needs about them in one statement
//! (the clock, its task and its case), and writing the batch's events and clock updates in bulk
//! (on PostgreSQL with `UNNEST` over arrays: one short statement whatever the batch size).

use crate::error::Result;
use crate::events::NewEvent;
use chrono::{DateTime, Utc};
use lianban_entity::LimitUnit;
use lianban_rules::escalation::{ClockUpdate, DueClock};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use uuid::Uuid;

fn unit_of(text: &str) -> LimitUnit {
    match text {
        "WORKING_MINUTES" => LimitUnit::WorkingMinutes,
        "NATURAL_DAYS" => LimitUnit::NaturalDays,
        _ => LimitUnit::WorkingDays,
    }
}

fn row(r: &QueryResult) -> Result<DueClock> {
    let unit: String = r.try_get("", "unit")?;
    Ok(DueClock {
        id: r.try_get("", "id")?,
        case_id: r.try_get("", "case_id")?,
        task_id: r.try_get("", "task_id")?,
        unit: unit_of(&unit).into(),
        due_at: r.try_get("", "due_at")?,
        rung: r.try_get("", "rung")?,
        reminders: r.try_get("", "reminders")?,
        assignee_id: r.try_get("", "assignee_id")?,
        acting_for_id: r.try_get("", "acting_for_id")?,
        task_department_id: r.try_get("", "task_department_id")?,
        post_id: r.try_get("", "post_id")?,
        number: r.try_get("", "number")?,
        matter_id: r.try_get("", "matter_id")?,
        lead_department_id: r.try_get("", "lead_department_id")?,
        lead_staff_id: r.try_get("", "lead_staff_id")?,
        urgent: r.try_get("", "urgent")?,
    })
}

/// Claims up to `limit` running clocks whose next step is due at `now`, oldest first, with their
/// tasks and cases. On PostgreSQL the clocks are locked and rows other workers hold are skipped.
pub(crate) async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DueClock>> {
    let backend = db.get_database_backend();
    let (p1, p2, lock) = match backend {
        DbBackend::Postgres => ("$1", "$2", " FOR UPDATE OF c SKIP LOCKED"),
        _ => ("?", "?", ""),
    };
    let sql = format!(
        "SELECT c.id AS id, c.case_id AS case_id, c.task_id AS task_id, c.unit AS unit, c.due_at AS due_at, \
                c.rung AS rung, c.reminders AS reminders, t.assignee_id AS assignee_id, \
                t.acting_for_id AS acting_for_id, t.department_id AS task_department_id, t.post_id AS post_id, \
                k.number AS number, k.matter_id AS matter_id, k.lead_department_id AS lead_department_id, \
                k.lead_staff_id AS lead_staff_id, c.urgent AS urgent \
         FROM clocks c \
         JOIN cases k ON k.id = c.case_id \
         LEFT JOIN tasks t ON t.id = c.task_id \
         WHERE c.state = 'RUNNING' AND c.next_rung_at <= {p1} \
         ORDER BY c.next_rung_at \
         LIMIT {p2}{lock}"
    );
    let values: Vec<Value> = vec![now.into(), i64::try_from(limit).unwrap_or(i64::MAX).into()];
    db.query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .iter()
        .map(row)
        .collect()
}

/// Writes a batch's events; on PostgreSQL in one `INSERT … SELECT FROM UNNEST(…)`.
pub(crate) async fn record_events<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    events: Vec<NewEvent>,
) -> Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        for chunk in events.chunks(1000) {
            crate::events::record(db, now, chunk.to_vec()).await?;
        }
        return Ok(());
    }
    if events.is_empty() {
        return Ok(());
    }
    let mut cases = Vec::with_capacity(events.len());
    let mut tasks = Vec::with_capacity(events.len());
    let mut kinds = Vec::with_capacity(events.len());
    let mut afters = Vec::with_capacity(events.len());
    for e in events {
        cases.push(e.case_id.unwrap_or_default());
        tasks.push(e.task_id.unwrap_or_default());
        kinds.push(e.kind.as_str().to_owned());
        afters.push(
            e.after
                .map(|a| a.to_string())
                .unwrap_or_else(|| "null".to_owned()),
        );
    }
    let sql = "INSERT INTO events (case_id, task_id, actor_id, acting_for_id, kind, at, before, after) \
               SELECT v.case_id, NULLIF(v.task_id, '00000000-0000-0000-0000-000000000000'::uuid), NULL, NULL, v.kind, $5, NULL, v.after::json \
               FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS v(case_id, task_id, kind, after)";
    let values: Vec<Value> = vec![
        cases.into(),
        tasks.into(),
        kinds.into(),
        afters.into(),
        now.into(),
    ];
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?;
    Ok(())
}

/// Moves a batch of clocks up the ladder in one statement.
pub(crate) async fn update_clocks<C: ConnectionTrait>(
    db: &C,
    updates: &[ClockUpdate],
) -> Result<()> {
    if updates.is_empty() {
        return Ok(());
    }
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        let ids: Vec<Uuid> = updates.iter().map(|u| u.id).collect();
        let rungs: Vec<i32> = updates.iter().map(|u| u.rung).collect();
        let reminders: Vec<i32> = updates.iter().map(|u| u.reminders).collect();
        let has: Vec<bool> = updates.iter().map(|u| u.next.is_some()).collect();
        let next: Vec<DateTime<Utc>> = updates
            .iter()
            .map(|u| u.next.unwrap_or(DateTime::UNIX_EPOCH))
            .collect();
        let sql = "UPDATE clocks SET rung = v.rung, reminders = v.reminders, \
                   next_rung_at = CASE WHEN v.has THEN v.next END \
                   FROM UNNEST($1::uuid[], $2::int[], $3::int[], $4::bool[], $5::timestamptz[]) \
                        AS v(id, rung, reminders, has, next) \
                   WHERE clocks.id = v.id";
        let values: Vec<Value> = vec![
            ids.into(),
            rungs.into(),
            reminders.into(),
            has.into(),
            next.into(),
        ];
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        return Ok(());
    }
    for chunk in updates.chunks(1000) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
        for u in chunk {
            values.push(u.id.into());
            values.push(u.rung.into());
            values.push(u.reminders.into());
            values.push(u.next.into());
        }
        let sql = format!(
            "WITH v(id, rung, reminders, next_rung_at) AS (VALUES {}) \
             UPDATE clocks SET rung = v.rung, reminders = v.reminders, next_rung_at = v.next_rung_at \
             FROM v WHERE clocks.id = v.id",
            vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}
