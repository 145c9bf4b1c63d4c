//! Statutory clocks as portals read them: due time, remaining time, light, pauses.

use super::engine;
use crate::graphql::enums::{ClockState, Light, LimitUnit};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::clocks::ClockView;
use lianban_rules::clocks::describe_remaining;
use tokio::sync::OnceCell;
use uuid::Uuid;

/// 时限 — a case's or task's statutory clock.
pub struct Clock {
    view: ClockView,
    day_seconds: i64,
}

/// Time left on a clock.
#[derive(SimpleObject)]
pub struct Remaining {
    /// Minutes left in the clock's time (office minutes for working-time clocks); negative when
    /// overdue. Frozen while the clock is paused.
    pub minutes: i64,
    /// Whether the due time has passed.
    pub overdue: bool,
    /// As a clerk says it: `剩余 2 个工作日 3 小时`, `已超期 40 分钟`.
    pub text: String,
}

/// One pause of a clock.
#[derive(SimpleObject)]
pub struct Pause {
    pub from: DateTime<Utc>,
    /// Empty while paused.
    pub to: Option<DateTime<Utc>>,
    pub reason: String,
}

impl Clock {
    pub(crate) fn due_at(&self) -> DateTime<Utc> {
        self.view.reading.due_at
    }

    pub(crate) fn light(&self) -> Light {
        self.view.reading.light.into()
    }

    pub(crate) fn provisional(&self) -> bool {
        self.view.reading.provisional
    }

    pub(crate) fn remaining(&self) -> Remaining {
        let seconds = self.view.reading.remaining_seconds;
        Remaining {
            minutes: seconds.div_euclid(60),
            overdue: seconds < 0,
            text: describe_remaining(seconds, self.view.clock.unit, self.day_seconds),
        }
    }

    pub(crate) fn pauses(&self) -> Vec<Pause> {
        self.view
            .pauses
            .iter()
            .map(|p| Pause {
                from: p.from,
                to: p.to,
                reason: p.reason.clone(),
            })
            .collect()
    }
}

#[Object]
impl Clock {
    async fn unit(&self) -> LimitUnit {
        self.view.clock.unit.into()
    }

    /// The limit, in `unit`s.
    async fn budget(&self) -> i64 {
        self.view.clock.budget
    }

    /// When counting began.
    async fn started_at(&self) -> DateTime<Utc> {
        self.view.clock.started_at
    }

    async fn state(&self) -> ClockState {
        self.view.clock.state.into()
    }

    /// When the limit runs out (while paused: if it resumed now).
    #[graphql(name = "dueAt")]
    async fn due_at_field(&self) -> DateTime<Utc> {
        self.due_at()
    }

    #[graphql(name = "remaining")]
    async fn remaining_field(&self) -> Remaining {
        self.remaining()
    }

    #[graphql(name = "light")]
    async fn light_field(&self) -> Light {
        self.light()
    }

    /// True when a year the clock spans has no published holiday schedule (Monday–Friday is
    /// assumed until a centre admin enters it).
    #[graphql(name = "provisional")]
    async fn provisional_field(&self) -> bool {
        self.provisional()
    }

    /// Office minutes consumed, pauses excluded.
    async fn consumed_minutes(&self) -> i64 {
        self.view.reading.consumed_seconds.div_euclid(60)
    }

    #[graphql(name = "pauses")]
    async fn pauses_field(&self) -> Vec<Pause> {
        self.pauses()
    }

    /// When the step was done.
    async fn stopped_at(&self) -> Option<DateTime<Utc>> {
        self.view.clock.stopped_at
    }
}

/// Loads a clock once per object, however many of its fields are asked for.
pub(crate) async fn cached<'a>(
    ctx: &Context<'_>,
    cell: &'a OnceCell<Option<Clock>>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<&'a Clock>> {
    cached_or(ctx, cell, id, None).await
}

/// As [`cached`], given the clock when the verb being answered has just started it.
pub(crate) async fn cached_or<'a>(
    ctx: &Context<'_>,
    cell: &'a OnceCell<Option<Clock>>,
    id: Option<Uuid>,
    known: Option<ClockView>,
) -> async_graphql::Result<Option<&'a Clock>> {
    let clock = cell
        .get_or_try_init(|| async {
            let Some(id) = id else {
                return Ok(None);
            };
            let day_seconds = engine(ctx)?.calendar().day_seconds();
            if let Some(view) = known {
                return Ok(Some(Clock { view, day_seconds }));
            }
            Ok::<_, async_graphql::Error>(
                super::loaders(ctx)?
                    .clocks
                    .load_one(id)
                    .await?
                    .map(|view| Clock { view, day_seconds }),
            )
        })
        .await?;
    Ok(clock.as_ref())
}
