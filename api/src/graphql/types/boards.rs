//! 看板 — the leadership board and a department's board.

use super::{
    Absence, Case, Department, Staff, SupervisionItem, Task, case_link, department_link, staff_link,
};
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::boards;

/// Clock and supervision counts of a department (or of the whole centre).
#[derive(SimpleObject)]
pub struct BoardCounts {
    /// Running or paused clocks.
    open: i64,
    green: i64,
    yellow: i64,
    red: i64,
    /// Paused while the applicant supplies material or a special procedure runs.
    paused: i64,
    /// Supervision items not archived, and how many are 红牌.
    open_supervision: i64,
    red_card_items: i64,
    oldest_item_opened_at: Option<DateTime<Utc>>,
    /// Clocks finished this month, and how many by their due time.
    finished_this_month: i64,
    on_time_this_month: i64,
    /// `onTimeThisMonth / finishedThisMonth`, 0–1; `null` when nothing finished.
    on_time_rate: Option<f64>,
}

impl From<&boards::Counts> for BoardCounts {
    fn from(c: &boards::Counts) -> Self {
        BoardCounts {
            open: c.open,
            green: c.green,
            yellow: c.yellow,
            red: c.red,
            paused: c.paused,
            open_supervision: c.open_supervision,
            red_card_items: c.red_card_items,
            oldest_item_opened_at: c.oldest_item_opened_at,
            finished_this_month: c.finished_this_month,
            on_time_this_month: c.on_time_this_month,
            on_time_rate: c.on_time_rate(),
        }
    }
}

/// A department's line.
pub struct DepartmentLine(pub boards::DepartmentLine);

#[Object]
impl DepartmentLine {
    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn counts(&self) -> BoardCounts {
        (&self.0.counts).into()
    }

    /// Working days the oldest open supervision item has been open.
    async fn oldest_item_age_days(&self) -> Option<i64> {
        self.0.oldest_item_age_days
    }
}

/// A clock past its due time.
pub struct OverdueItem(pub boards::OverdueItem);

#[Object]
impl OverdueItem {
    async fn number(&self) -> &str {
        &self.0.number
    }

    async fn case(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Case>> {
        case_link(ctx, Some(self.0.case_id)).await
    }

    async fn task_id(&self) -> Option<ID> {
        self.0.task_id.map(|id| ID(id.to_string()))
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// Who works it.
    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.staff_id)).await
    }

    async fn due_at(&self) -> DateTime<Utc> {
        self.0.due_at
    }

    /// Whole working days overdue.
    /// 急事急办 — an urgent case's clock (listed first).
    async fn urgent(&self) -> bool {
        self.0.urgent
    }

    async fn overdue_days(&self) -> i64 {
        self.0.overdue_days
    }
}

/// An open supervision item with its age.
pub struct OpenItem(pub boards::OpenItem);

#[Object]
impl OpenItem {
    async fn item(&self) -> SupervisionItem {
        SupervisionItem(self.0.item.clone())
    }

    /// Working days since it was opened.
    async fn age_days(&self) -> i64 {
        self.0.age_days
    }
}

/// The leadership board.
pub struct LeadershipBoard(pub boards::LeadershipBoard);

#[Object]
impl LeadershipBoard {
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    async fn month(&self) -> u32 {
        self.0.month
    }

    /// The centre-wide line.
    async fn centre(&self) -> BoardCounts {
        (&self.0.centre).into()
    }

    /// Every department, most red first, then most yellow.
    async fn departments(&self) -> Vec<DepartmentLine> {
        self.0
            .departments
            .iter()
            .cloned()
            .map(DepartmentLine)
            .collect()
    }

    /// The oldest overdue items, most overdue first.
    async fn oldest_overdue(&self) -> Vec<OverdueItem> {
        self.0
            .oldest_overdue
            .iter()
            .cloned()
            .map(OverdueItem)
            .collect()
    }

    /// The oldest open supervision items.
    async fn open_items(&self) -> Vec<OpenItem> {
        self.0.open_items.iter().cloned().map(OpenItem).collect()
    }
}

/// Somebody away and who acts for them.
pub struct AwayLine(pub boards::AwayLine);

#[Object]
impl AwayLine {
    async fn absence(&self) -> Absence {
        Absence(self.0.absence.clone())
    }

    async fn staff(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Staff>> {
        staff_link(ctx, Some(self.0.absence.staff_id)).await
    }

    /// Who works their posts meanwhile (empty when nobody is available).
    async fn acting(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Staff>> {
        let mut out = Vec::new();
        for id in &self.0.acting {
            out.extend(staff_link(ctx, Some(*id)).await?);
        }
        Ok(out)
    }
}

/// A department's board.
pub struct DepartmentBoard(pub boards::DepartmentBoard);

#[Object]
impl DepartmentBoard {
    async fn department(&self) -> Department {
        Department(self.0.department.clone())
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    async fn counts(&self) -> BoardCounts {
        (&self.0.counts).into()
    }

    /// Open tasks, soonest due first (each with its clock and light).
    async fn queue(&self) -> Vec<Task> {
        self.0.queue.iter().cloned().map(Task::from).collect()
    }

    async fn away(&self) -> Vec<AwayLine> {
        self.0.away.iter().cloned().map(AwayLine).collect()
    }

    /// Net score points this month.
    async fn score_this_month(&self) -> i64 {
        self.0.score_this_month
    }

    async fn score_entries_this_month(&self) -> i64 {
        self.0.score_entries_this_month
    }
}
