//! Writing score entries: each is a rule applied to a department (and a staff member) for one
//! cause, with the rule's points at that moment times how often it applies (the working days a
//! reply was late). The cause key is unique, so the same cause never scores twice.

use crate::error::Result;
use chrono::{DateTime, Utc};
use lianban_entity::{score_entry, scoring_rule};
pub(crate) use lianban_rules::scoring::NewScore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait};
use std::collections::HashMap;
use uuid::Uuid;

/// The rule table: code → points.
pub(crate) async fn points<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, i32>> {
    Ok(scoring_rule::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.points))
        .collect())
}

/// Writes `entries` with the points of `table` (loaded from `db` when `None`); an entry whose
/// cause already scored is skipped. On PostgreSQL in one `INSERT … SELECT FROM UNNEST(…)`
/// whatever their number (the sweep writes a batch's worth), elsewhere 1,000 rows a statement.
pub(crate) async fn write<C: ConnectionTrait>(
    db: &C,
    table: Option<&HashMap<String, i32>>,
    entries: Vec<NewScore>,
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let loaded;
    let table = match table {
        Some(t) => t,
        None => {
            loaded = points(db).await?;
            &loaded
        }
    };
    let scored: Vec<(i32, NewScore)> = entries
        .into_iter()
        .map(|e| {
            let points = table
                .get(e.rule)
                .copied()
                .unwrap_or(0)
                .saturating_mul(e.times);
            (points, e)
        })
        .collect();
    if db.get_database_backend() == DbBackend::Postgres {
        return write_unnest(db, scored).await;
    }
    let rows: Vec<score_entry::ActiveModel> = scored
        .into_iter()
        .map(|(points, e)| score_entry::ActiveModel {
            id: Set(Uuid::now_v7()),
            cause_key: Set(e.cause_key),
            rule_code: Set(e.rule.to_owned()),
            points: Set(points),
            department_id: Set(e.department_id),
            staff_id: Set(e.staff_id),
            cause_kind: Set(e.cause_kind.to_owned()),
            case_id: Set(e.case_id),
            task_id: Set(e.task_id),
            complaint_id: Set(e.complaint_id),
            evaluation_id: Set(e.evaluation_id),
            reason: Set(e.reason),
            recorded_by: Set(e.recorded_by),
            occurred_at: Set(e.occurred_at),
        })
        .collect();
    // 15 columns a row: 1,000 rows stay under SQLite's 32,766 parameters.
    for chunk in rows.chunks(1000) {
        score_entry::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(score_entry::Column::CauseKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// PostgreSQL: one array per column; the nil UUID stands for "none" (`NULLIF` turns it back).
async fn write_unnest<C: ConnectionTrait>(db: &C, scored: Vec<(i32, NewScore)>) -> Result<()> {
    let n = scored.len();
    let mut ids: [Vec<Uuid>; 8] = Default::default();
    let mut texts: [Vec<String>; 4] = Default::default();
    let mut points: Vec<i32> = Vec::with_capacity(n);
    let mut at: Vec<DateTime<Utc>> = Vec::with_capacity(n);
    for (p, e) in scored {
        let none = |id: Option<Uuid>| id.unwrap_or_else(Uuid::nil);
        for (col, id) in ids.iter_mut().zip([
            Uuid::now_v7(),
            e.department_id,
            none(e.staff_id),
            none(e.case_id),
            none(e.task_id),
            none(e.complaint_id),
            none(e.evaluation_id),
            none(e.recorded_by),
        ]) {
            col.push(id);
        }
        for (col, text) in texts.iter_mut().zip([
            e.cause_key,
            e.rule.to_owned(),
            e.cause_kind.to_owned(),
            e.reason,
        ]) {
            col.push(text);
        }
        points.push(p);
        at.push(e.occurred_at);
    }
    const NONE: &str = "'00000000-0000-0000-0000-000000000000'::uuid";
    let sql = format!(
        "INSERT INTO score_entries (id, department_id, staff_id, case_id, task_id, complaint_id, \
           evaluation_id, recorded_by, cause_key, rule_code, cause_kind, reason, points, occurred_at) \
         SELECT v.id, v.department_id, NULLIF(v.staff_id, {NONE}), NULLIF(v.case_id, {NONE}), \
           NULLIF(v.task_id, {NONE}), NULLIF(v.complaint_id, {NONE}), NULLIF(v.evaluation_id, {NONE}), \
           NULLIF(v.recorded_by, {NONE}), v.cause_key, v.rule_code, v.cause_kind, v.reason, v.points, \
           v.occurred_at \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], \
           $7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], \
           $14::timestamptz[]) \
           AS v(id, department_id, staff_id, case_id, task_id, complaint_id, evaluation_id, \
                recorded_by, cause_key, rule_code, cause_kind, reason, points, occurred_at) \
         ON CONFLICT (cause_key) DO NOTHING"
    );
    crate::store::sql::unnest_exec(db, sql, ids, texts, vec![points.into(), at.into()]).await
}
