//! 看板 — the leadership board (every department's open, yellow and red clocks, open
//! supervision items and their ages, the oldest overdue items, this month's on-time rate, and a
//! centre-wide line on top) and a department's board (its queue by light, who is away and who
//! acts for them, its score this month). Both answer from grouped queries over indexes
//! (`counts`) and bounded lists, never by loading every case.

mod counts;
mod tallies;

pub use counts::Counts;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::scoring::report::{month_of, period};
use crate::store::sql;
use chrono::{DateTime, Utc};
use lianban_entity::{SupervisionStatus, absence, supervision_item, task};
use lianban_rules::calendar::WorkingCalendar;
use lianban_rules::people;
use lianban_rules::policy::Actor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// How many overdue items and open supervision items the leadership board lists.
pub const BOARD_LIST: u64 = 10;
/// How many tasks a department's queue lists.
pub const QUEUE_LIST: u64 = 200;

/// A department's line on the leadership board.
#[derive(Debug, Clone)]
pub struct DepartmentLine {
    pub department_id: Uuid,
    pub name: String,
    pub counts: Counts,
    /// Working days the oldest open supervision item has been open.
    pub oldest_item_age_days: Option<i64>,
}

/// A clock past its due time.
#[derive(Debug, Clone)]
pub struct OverdueItem {
    pub clock_id: Uuid,
    pub case_id: Uuid,
    pub number: String,
    pub task_id: Option<Uuid>,
    pub department_id: Uuid,
    /// Who works it (the task's assignee, or the case's lead window staff member).
    pub staff_id: Uuid,
    pub due_at: DateTime<Utc>,
    /// Whole working days overdue.
    pub overdue_days: i64,
    /// 急事急办 — an urgent case's clock (listed first).
    pub urgent: bool,
}

/// An open supervision item with its age.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub item: crate::views::SupervisionItemView,
    /// Working days since it was opened.
    pub age_days: i64,
}

/// The leadership board.
#[derive(Debug, Clone)]
pub struct LeadershipBoard {
    pub at: DateTime<Utc>,
    pub year: i32,
    pub month: u32,
    /// The centre-wide line.
    pub centre: Counts,
    /// Every department, most red first, then most yellow.
    pub departments: Vec<DepartmentLine>,
    /// The oldest overdue clocks: urgent cases' first, then most overdue first.
    pub oldest_overdue: Vec<OverdueItem>,
    /// The oldest open supervision items.
    pub open_items: Vec<OpenItem>,
}

/// Somebody away and who acts for them.
#[derive(Debug, Clone)]
pub struct AwayLine {
    pub absence: crate::views::AbsenceView,
    /// The first available holder of each post they hold (A), in post order.
    pub acting: Vec<Uuid>,
}

/// A department's board.
#[derive(Debug, Clone)]
pub struct DepartmentBoard {
    pub department: crate::views::DepartmentView,
    pub at: DateTime<Utc>,
    pub counts: Counts,
    /// Open tasks: urgent cases' first, then soonest due first.
    pub queue: Vec<crate::views::TaskView>,
    pub away: Vec<AwayLine>,
    /// Net score points this month, and the entries behind them.
    pub score_this_month: i64,
    pub score_entries_this_month: i64,
}

fn working_days(calendar: &WorkingCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<i64> {
    if to <= from {
        return Ok(0);
    }
    Ok(calendar.working_seconds_between(from, to)? / calendar.day_seconds())
}

impl Engine {
    /// The leadership board (leaders, supervisors, the centre admin).
    ///
    /// # Errors
    /// `FORBIDDEN` for anybody else.
    pub async fn leadership_board(&self, actor: &Actor) -> Result<LeadershipBoard> {
        if !actor.reads_everything() {
            return Err(Error::Forbidden(
                "the leadership board is for leaders, supervisors and the centre admin".to_owned(),
            ));
        }
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (year, month) = month_of(now);
        let mut by = counts::by_department(
            self.db(),
            &calendar,
            self.thresholds(),
            now,
            (year, month),
            None,
        )
        .await?;
        let mut centre = Counts::default();
        let mut departments = Vec::new();
        for d in self.departments().await? {
            let counts = by.remove(&d.id).unwrap_or_default();
            centre.add(&counts);
            departments.push(DepartmentLine {
                department_id: d.id,
                name: d.name,
                oldest_item_age_days: counts
                    .oldest_item_opened_at
                    .map(|at| working_days(&calendar, at, now))
                    .transpose()?,
                counts,
            });
        }
        departments.sort_by(|a, b| {
            (b.counts.red, b.counts.yellow, b.counts.open_supervision)
                .cmp(&(a.counts.red, a.counts.yellow, a.counts.open_supervision))
                .then_with(|| a.name.cmp(&b.name))
        });
        let overdue = sql::rows(
            self.db(),
            "SELECT c.id AS clock_id, c.case_id AS case_id, c.task_id AS task_id, c.due_at AS due_at, \
                    k.number AS number, c.department_id AS department_id, \
                    COALESCE(t.assignee_id, k.lead_staff_id) AS staff_id \
             FROM clocks c JOIN cases k ON k.id = c.case_id LEFT JOIN tasks t ON t.id = c.task_id \
             WHERE c.state = 'RUNNING' AND c.due_at < ? ORDER BY c.due_at LIMIT ?",
            vec![now.into(), (BOARD_LIST as i64).into()],
        )
        .await?;
        // 急事急办: overdue urgent clocks lead the list.
        let urgent = sql::rows(
            self.db(),
            "SELECT c.id AS clock_id, c.case_id AS case_id, c.task_id AS task_id, c.due_at AS due_at, \
                    k.number AS number, c.department_id AS department_id, \
                    COALESCE(t.assignee_id, k.lead_staff_id) AS staff_id \
             FROM clocks c JOIN cases k ON k.id = c.case_id LEFT JOIN tasks t ON t.id = c.task_id \
             WHERE c.urgent AND c.state = 'RUNNING' AND c.due_at < ? ORDER BY c.due_at LIMIT ?",
            vec![now.into(), (BOARD_LIST as i64).into()],
        )
        .await?;
        let mut listed = HashSet::new();
        let overdue: Vec<_> = urgent
            .into_iter()
            .map(|r| (true, r))
            .chain(overdue.into_iter().map(|r| (false, r)))
            .filter(|(_, r)| {
                r.try_get::<Uuid>("", "clock_id")
                    .is_ok_and(|id| listed.insert(id))
            })
            .take(BOARD_LIST as usize)
            .collect();
        let mut oldest_overdue = Vec::with_capacity(overdue.len());
        for (urgent, row) in &overdue {
            let due_at: DateTime<Utc> = row.try_get("", "due_at")?;
            oldest_overdue.push(OverdueItem {
                clock_id: row.try_get("", "clock_id")?,
                case_id: row.try_get("", "case_id")?,
                number: row.try_get("", "number")?,
                task_id: row.try_get("", "task_id")?,
                department_id: row.try_get("", "department_id")?,
                staff_id: row.try_get("", "staff_id")?,
                due_at,
                overdue_days: working_days(&calendar, due_at, now)?,
                urgent: *urgent,
            });
        }
        let items = supervision_item::Entity::find()
            .filter(supervision_item::Column::Status.ne(SupervisionStatus::Archived))
            .order_by_asc(supervision_item::Column::OpenedAt)
            .limit(BOARD_LIST)
            .all(self.db())
            .await?;
        let open_items = items
            .into_iter()
            .map(|item| {
                let age_days = working_days(&calendar, item.opened_at, now)?;
                Ok(OpenItem {
                    item: item.into(),
                    age_days,
                })
            })
            .collect::<Result<_>>()?;
        Ok(LeadershipBoard {
            at: now,
            year,
            month,
            centre,
            departments,
            oldest_overdue,
            open_items,
        })
    }

    /// A department's board: for its own staff and for those who read everything.
    ///
    /// # Errors
    /// `FORBIDDEN` for another department's staff; `NOT_FOUND` for an unknown department.
    pub async fn department_board(
        &self,
        actor: &Actor,
        department_id: Uuid,
    ) -> Result<DepartmentBoard> {
        if !crate::scoring::may_read_scores(actor, department_id) {
            return Err(Error::Forbidden("another department's board".to_owned()));
        }
        let department = self
            .department_by_id(department_id)
            .await?
            .ok_or_else(|| Error::not_found(format!("department {department_id}")))?;
        let now = self.now();
        let calendar = self.sync_calendar().await?;
        let (year, month) = month_of(now);
        let range = period(&calendar, year, Some(month))?;
        let counts = counts::by_department(
            self.db(),
            &calendar,
            self.thresholds(),
            now,
            (year, month),
            Some(department_id),
        )
        .await?
        .remove(&department_id)
        .unwrap_or_default();
        // Running and paused clocks, each in due order along `(state, due_at)` keeping this
        // department's: no index on open clocks by department (the sweep would pay for it at
        // every rung).
        let mut rows = Vec::new();
        for state in ["RUNNING", "PAUSED"] {
            rows.extend(
                sql::rows(
                    self.db(),
                    "SELECT c.task_id AS id, c.due_at AS due_at FROM clocks c \
                     WHERE c.state = ? AND c.department_id = ? AND c.task_id IS NOT NULL \
                     ORDER BY c.due_at LIMIT ?",
                    vec![
                        state.into(),
                        department_id.into(),
                        (QUEUE_LIST as i64).into(),
                    ],
                )
                .await?,
            );
        }
        // 急事急办: urgent clocks first, from their own (partial) index.
        let urgent = sql::rows(
            self.db(),
            "SELECT c.task_id AS id, c.due_at AS due_at FROM clocks c \
             WHERE c.urgent AND c.state IN ('RUNNING', 'PAUSED') AND c.department_id = ? \
             AND c.task_id IS NOT NULL ORDER BY c.due_at LIMIT ?",
            vec![department_id.into(), (QUEUE_LIST as i64).into()],
        )
        .await?;
        let mut due: Vec<(bool, DateTime<Utc>, Uuid)> = Vec::new();
        for (ordinary, list) in [(false, &urgent), (true, &rows)] {
            for r in list {
                due.push((ordinary, r.try_get("", "due_at")?, r.try_get("", "id")?));
            }
        }
        due.sort();
        let mut seen = HashSet::new();
        due.retain(|(_, _, id)| seen.insert(*id));
        due.truncate(QUEUE_LIST as usize);
        let queue_ids: Vec<Uuid> = due.into_iter().map(|(_, _, id)| id).collect();
        let mut tasks: HashMap<Uuid, task::Model> = task::Entity::find()
            .filter(task::Column::Id.is_in(queue_ids.iter().copied()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let queue = queue_ids
            .iter()
            .filter_map(|id| tasks.remove(id))
            .map(Into::into)
            .collect();
        let away = self.away_in(department_id, now).await?;
        let score = sql::rows(
            self.db(),
            "SELECT COUNT(*) AS n, CAST(SUM(points) AS BIGINT) AS p FROM score_entries \
             WHERE department_id = ? AND occurred_at >= ? AND occurred_at < ?",
            vec![department_id.into(), range.0.into(), range.1.into()],
        )
        .await?;
        let (n, p) = match score.first() {
            Some(row) => (sql::int(row, "n")?, sql::int(row, "p")?),
            None => (0, 0),
        };
        Ok(DepartmentBoard {
            department,
            at: now,
            counts,
            queue,
            away,
            score_this_month: p,
            score_entries_this_month: n,
        })
    }

    /// Who of a department is away at `now`, and who acts for them on each post they hold.
    async fn away_in(&self, department_id: Uuid, now: DateTime<Utc>) -> Result<Vec<AwayLine>> {
        let staff: Vec<Uuid> = self
            .department_staff(department_id)
            .await?
            .iter()
            .map(|s| s.id)
            .collect();
        let absences = absence::Entity::find()
            .filter(absence::Column::StaffId.is_in(staff.iter().copied()))
            .filter(absence::Column::StartsAt.lte(now))
            .filter(absence::Column::EndsAt.gt(now))
            .order_by_asc(absence::Column::StartsAt)
            .all(self.db())
            .await?;
        if absences.is_empty() {
            return Ok(Vec::new());
        }
        let away: HashSet<Uuid> = crate::people::absences::away_at(self.db(), now).await?;
        let posts = lianban_entity::post::Entity::find()
            .filter(lianban_entity::post::Column::DepartmentId.eq(department_id))
            .all(self.db())
            .await?;
        let ids: Vec<Uuid> = posts.iter().map(|p| p.id).collect();
        let chains = crate::people::absences::chains(self.db(), &ids).await?;
        Ok(absences
            .into_iter()
            .map(|absence| {
                let acting = posts
                    .iter()
                    .filter(|p| p.a_holder_id == absence.staff_id)
                    .filter_map(|p| chains.get(&p.id))
                    .map(|(_, chain)| people::assign(absence.staff_id, chain, &away))
                    .filter(|a| !a.nobody_available)
                    .map(|a| a.assignee)
                    .collect();
                AwayLine {
                    absence: absence.into(),
                    acting,
                }
            })
            .collect())
    }
}
