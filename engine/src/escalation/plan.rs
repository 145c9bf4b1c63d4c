//! What one batch of due clocks does: which steps fire, who hears, which supervision items open
//! or are raised, and where each clock's ladder goes next. No database here: the sweep loads,
//! plans, then writes everything in one transaction.

use super::directory::Directory;
use crate::calendar::WorkingCalendar;
use crate::error::{Error, Result};
use crate::events::{EventKind, NewEvent};
use crate::ladder::{self, LadderSettings, Progress, Step};
use crate::outbox::NewMessage;
use chrono::{DateTime, Utc};
use lianban_entity::{
    SupervisionLevel, SupervisionSource, SupervisionStatus, case, clock, supervision_item, task,
};
use sea_orm::ActiveValue::Set;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A clock's new place on the ladder.
#[derive(Debug, Clone)]
pub(crate) struct ClockUpdate {
    pub id: Uuid,
    pub rung: i32,
    pub reminders: i32,
    pub next: Option<DateTime<Utc>>,
}

/// Everything a batch writes.
#[derive(Debug, Default)]
pub(crate) struct Effects {
    pub messages: Vec<NewMessage>,
    pub events: Vec<NewEvent>,
    pub opened: Vec<supervision_item::ActiveModel>,
    pub raised: Vec<Uuid>,
    pub updates: Vec<ClockUpdate>,
    /// Tasks whose matter deems consent and whose deadline has come: resolved afterwards, each
    /// in a transaction of its own that locks the case first.
    pub deemed: Vec<Uuid>,
    pub fired: BTreeMap<&'static str, u64>,
}

/// The people a task's reminder reaches: its assignee, and while the assignee is away and nobody
/// acts for them yet, the first available holder of the post.
fn task_people(dir: &Directory, t: &task::Model) -> Vec<Uuid> {
    let mut people = vec![t.assignee_id];
    if t.acting_for_id.is_none() && dir.away.contains(&t.assignee_id) {
        let stand_in = dir.chains.get(&t.post_id).and_then(|chain| {
            chain
                .iter()
                .find(|s| **s != t.assignee_id && !dir.away.contains(*s))
        });
        people.extend(stand_in);
    }
    people
}

/// Plans the steps of `clocks` due at `now`.
pub(crate) fn plan(
    calendar: &WorkingCalendar,
    dir: &Directory,
    settings: &LadderSettings,
    clocks: &[clock::Model],
    tasks: &HashMap<Uuid, task::Model>,
    cases: &HashMap<Uuid, case::Model>,
    now: DateTime<Utc>,
) -> Result<Effects> {
    let mut fx = Effects::default();
    for row in clocks {
        let case = cases
            .get(&row.case_id)
            .ok_or_else(|| Error::Internal(format!("clock {} without its case", row.id)))?;
        let task = row.task_id.and_then(|id| tasks.get(&id));
        let matter = dir.matters.get(&case.matter_id);
        let progress = Progress {
            rung: row.rung,
            reminders: row.reminders,
        };
        let (steps, reached) =
            ladder::due_steps(calendar, row.unit, row.due_at, progress, now, settings)?;
        if let (Some(t), Some(m)) = (task, matter)
            && m.deemed_consent
            && steps.contains(&Step::Due)
        {
            fx.deemed.push(t.id);
            continue;
        }
        let department_id = task.map_or(case.lead_department_id, |t| t.department_id);
        let department = dir.department(department_id);
        let owner = task.map_or_else(|| vec![case.lead_staff_id], |t| task_people(dir, t));
        let light = if now > row.due_at { "RED" } else { "YELLOW" };
        for step in &steps {
            let mut people = match step {
                Step::Reminder | Step::Daily(_) => owner.clone(),
                Step::Due => {
                    let mut p = owner.clone();
                    p.extend(dir.heads.get(&department_id).into_iter().flatten());
                    p
                }
                Step::YellowCard => dir.admins.clone(),
                Step::RedCard => dir.leaders.clone(),
            };
            people.dedup();
            let template = match step {
                Step::Reminder => "ladder_reminder",
                Step::Due => "ladder_due",
                Step::YellowCard => "ladder_yellow_card",
                Step::RedCard => "ladder_red_card",
                Step::Daily(_) => "ladder_daily",
            };
            let payload = json!({
                "caseId": case.id,
                "number": case.number,
                "matter": matter.map(|m| m.name.clone()),
                "department": department,
                "taskId": task.map(|t| t.id),
                "dueAt": row.due_at,
                "light": light,
                "step": step.key(),
                "daysOverdue": match step { Step::Daily(k) => *k, Step::YellowCard => settings.yellow_card_after_days, Step::RedCard => settings.red_card_after_days, _ => 0 },
            });
            for person in &people {
                let Some(staff) = dir.staff.get(person) else {
                    continue;
                };
                fx.messages.push(NewMessage {
                    message_id: format!("ladder-{}-{}-{person}", row.id, step.key()),
                    recipient_id: Some(*person),
                    recipient_email: staff.email.clone(),
                    template,
                    payload: payload.clone(),
                });
            }
            let mut event = NewEvent::case(EventKind::Escalated, case.id, None).after(json!({
                "step": step.key(),
                "clockId": row.id,
                "departmentId": department_id,
                "recipients": people,
            }));
            if let Some(t) = task {
                event = event.task(t.id);
            }
            fx.events.push(event);
            match step {
                Step::YellowCard => fx.opened.push(supervision_item::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    department_id: Set(department_id),
                    case_id: Set(Some(case.id)),
                    task_id: Set(task.map(|t| t.id)),
                    clock_id: Set(Some(row.id)),
                    source: Set(SupervisionSource::Ladder),
                    level: Set(SupervisionLevel::YellowCard),
                    status: Set(SupervisionStatus::Opened),
                    title: Set(format!("{department}：办件{}超期未办结", case.number)),
                    detail: Set(format!(
                        "“{}”{}超过办理期限{}个工作日（黄牌）。",
                        matter.map_or("", |m| m.name.as_str()),
                        if task.is_some() {
                            "的部门审查环节"
                        } else {
                            ""
                        },
                        settings.yellow_card_after_days
                    )),
                    opened_by: Set(None),
                    opened_at: Set(now),
                    raised_at: Set(None),
                    assignee_id: Set(None),
                    reply_due_at: Set(None),
                    chases: Set(0),
                    answer: Set(None),
                    answered_at: Set(None),
                    archived_at: Set(None),
                }),
                Step::RedCard => fx.raised.push(row.id),
                _ => {}
            }
            *fx.fired.entry(step.kind()).or_default() += 1;
        }
        let next = ladder::next_at(calendar, row.unit, row.due_at, reached, settings)?
            .filter(|at| *at > now);
        fx.updates.push(ClockUpdate {
            id: row.id,
            rung: reached.rung,
            reminders: reached.reminders,
            next,
        });
    }
    Ok(fx)
}
