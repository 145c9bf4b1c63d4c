//! Monthly and yearly score reports per department and staff member, with each staff member's
//! award eligibility for the year (SPEC §7). Sums come from one aggregate query over the
//! period's entries (an index on `(department_id, occurred_at)`), not by loading every entry.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::sql;
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use lianban_entity::staff;
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::policy::Actor;
use lianban_rules::scoring::{self as rules, CASE_OVERDUE};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// How often and how many points one rule gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    pub rule_code: String,
    pub count: i64,
    pub points: i64,
}

/// A department's line.
#[derive(Debug, Clone)]
pub struct DepartmentScore {
    pub department_id: Uuid,
    pub name: String,
    /// Net points in the period (deductions negative).
    pub points: i64,
    pub entries: i64,
    pub by_rule: Vec<RuleCount>,
}

/// A staff member's line.
#[derive(Debug, Clone)]
pub struct StaffScore {
    pub staff_id: Uuid,
    pub name: String,
    pub department_id: Uuid,
    pub points: i64,
    pub entries: i64,
    /// Overdue cases in the report's year.
    pub overdue_cases_this_year: i64,
    /// Verified complaints against them in the report's year.
    pub verified_complaints_this_year: i64,
    /// SPEC §7: 3 or more overdue cases in a year, or two verified complaints within 22
    /// working days.
    pub ineligible_for_award: bool,
    pub reasons: Vec<String>,
}

/// A report for a month or a year.
#[derive(Debug, Clone)]
pub struct ScoreReport {
    pub year: i32,
    pub month: Option<u32>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub departments: Vec<DepartmentScore>,
    pub staff: Vec<StaffScore>,
}

/// The instants a month (or, without one, a year) starts and ends at, in the centre's time.
///
/// # Errors
/// `INVALID_INPUT` for a year outside 2000–2100 or a month outside 1–12.
pub fn period(
    calendar: &WorkingCalendar,
    year: i32,
    month: Option<u32>,
) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    if !(2000..=2100).contains(&year) {
        return Err(Error::invalid("year", "must be between 2000 and 2100"));
    }
    let first = |y, m| {
        NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| Error::invalid("month", "must be 1 to 12"))
    };
    let (start, end) = match month {
        Some(m) if (1..=12).contains(&m) => (
            first(year, m)?,
            if m == 12 {
                first(year + 1, 1)?
            } else {
                first(year, m + 1)?
            },
        ),
        Some(_) => return Err(Error::invalid("month", "must be 1 to 12")),
        None => (first(year, 1)?, first(year + 1, 1)?),
    };
    Ok((
        calendar.instant(start, NaiveTime::MIN),
        calendar.instant(end, NaiveTime::MIN),
    ))
}

impl Engine {
    /// The score report for `year` (and `month`): every department's line, and every staff
    /// member's with their award eligibility for the year. A department's own staff see their
    /// department only.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a bad period; `INTERNAL` on a database fault.
    pub async fn score_report(
        &self,
        actor: &Actor,
        year: i32,
        month: Option<u32>,
    ) -> Result<ScoreReport> {
        let calendar = self.sync_calendar().await?;
        let (from, to) = period(&calendar, year, month)?;
        let (year_from, year_to) = period(&calendar, year, None)?;
        let only = (!actor.reads_everything()).then_some(actor.department_id);
        let db = self.db();
        let sums = sql::rows(
            db,
            "SELECT department_id, staff_id, rule_code, COUNT(*) AS n, \
                    CAST(SUM(points) AS BIGINT) AS p \
             FROM score_entries WHERE occurred_at >= ? AND occurred_at < ? \
             GROUP BY department_id, staff_id, rule_code",
            vec![from.into(), to.into()],
        )
        .await?;
        let yearly = sql::rows(
            db,
            "SELECT staff_id, rule_code, cause_kind, occurred_at FROM score_entries \
             WHERE occurred_at >= ? AND occurred_at < ? AND staff_id IS NOT NULL \
               AND (rule_code = ? OR cause_kind = 'COMPLAINT_VERIFIED')",
            vec![year_from.into(), year_to.into(), CASE_OVERDUE.into()],
        )
        .await?;
        let mut departments: BTreeMap<String, DepartmentScore> = BTreeMap::new();
        let mut by_department: HashMap<Uuid, BTreeMap<String, RuleCount>> = HashMap::new();
        let mut staff_sums: HashMap<Uuid, (i64, i64)> = HashMap::new();
        for row in &sums {
            let department_id: Uuid = row.try_get("", "department_id")?;
            let staff_id: Option<Uuid> = row.try_get("", "staff_id")?;
            let rule: String = row.try_get("", "rule_code")?;
            let (n, p) = (sql::int(row, "n")?, sql::int(row, "p")?);
            let line = by_department
                .entry(department_id)
                .or_default()
                .entry(rule.clone())
                .or_insert(RuleCount {
                    rule_code: rule,
                    count: 0,
                    points: 0,
                });
            line.count += n;
            line.points += p;
            if let Some(s) = staff_id {
                let sum = staff_sums.entry(s).or_default();
                sum.0 += p;
                sum.1 += n;
            }
        }
        let mut overdue: HashMap<Uuid, i64> = HashMap::new();
        let mut complaints: HashMap<Uuid, Vec<DateTime<Utc>>> = HashMap::new();
        for row in &yearly {
            let staff_id: Uuid = row.try_get("", "staff_id")?;
            let rule: String = row.try_get("", "rule_code")?;
            if rule == CASE_OVERDUE {
                *overdue.entry(staff_id).or_default() += 1;
            } else {
                complaints
                    .entry(staff_id)
                    .or_default()
                    .push(row.try_get("", "occurred_at")?);
            }
        }
        for d in self.departments().await? {
            if only.is_some_and(|o| o != d.id) {
                continue;
            }
            let by_rule: Vec<RuleCount> = by_department
                .remove(&d.id)
                .map(|m| m.into_values().collect())
                .unwrap_or_default();
            departments.insert(
                d.name.clone(),
                DepartmentScore {
                    department_id: d.id,
                    name: d.name,
                    points: by_rule.iter().map(|r| r.points).sum(),
                    entries: by_rule.iter().map(|r| r.count).sum(),
                    by_rule,
                },
            );
        }
        let mut staff = Vec::new();
        for person in staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .all(db)
            .await?
        {
            if only.is_some_and(|o| o != person.department_id) {
                continue;
            }
            let late = overdue.get(&person.id).copied().unwrap_or(0);
            let verified = complaints.get(&person.id).cloned().unwrap_or_default();
            let reasons = rules::ineligibility(
                &calendar,
                usize::try_from(late).unwrap_or(usize::MAX),
                &verified,
            )?;
            let (points, entries) = staff_sums.get(&person.id).copied().unwrap_or((0, 0));
            staff.push(StaffScore {
                staff_id: person.id,
                name: person.display_name,
                department_id: person.department_id,
                points,
                entries,
                overdue_cases_this_year: late,
                verified_complaints_this_year: verified.len() as i64,
                ineligible_for_award: !reasons.is_empty(),
                reasons,
            });
        }
        staff.sort_by(|a, b| (a.department_id, &a.name).cmp(&(b.department_id, &b.name)));
        Ok(ScoreReport {
            year,
            month,
            from,
            to,
            departments: departments.into_values().collect(),
            staff,
        })
    }
}

/// The report's year and month for an instant, in the centre's time.
pub fn month_of(at: DateTime<Utc>) -> (i32, u32) {
    let day = lianban_rules::calendar::local_date(at);
    (day.year(), day.month())
}
