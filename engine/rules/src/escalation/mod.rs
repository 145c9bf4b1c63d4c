//! What one batch of due clocks does: which steps fire, who hears, which supervision items open
//! or are raised, and where each clock's ladder goes next. No database here: the sweep claims,
//! plans, then writes everything in one transaction.
//!
//! Each step fires once per clock (an event, and the clock's new place on the ladder). Mail is
//! one message per recipient and kind of step in a batch, listing every case it concerns — a
//! department head whose ten tasks fall due in the same minute gets one mail, not ten.

pub mod ladder;

use crate::calendar::WorkingCalendar;
use crate::clocks::Light;
use crate::enums::{LimitUnit, SupervisionSource};
use crate::error::Result;
use crate::events::{EventKind, NewEvent};
use crate::mail::{LadderItem, LadderMail, Mail, NewMessage};
use crate::scoring::{CASE_OVERDUE, NewScore};
use crate::supervision::NewItem;
use chrono::{DateTime, Utc};
use ladder::{LadderSettings, Progress, Step};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// A due clock with its task and case, as the sweep loads it.
#[derive(Debug, Clone)]
pub struct DueClock {
    pub id: Uuid,
    pub case_id: Uuid,
    pub task_id: Option<Uuid>,
    pub unit: LimitUnit,
    pub due_at: DateTime<Utc>,
    pub rung: i32,
    pub reminders: i32,
    pub assignee_id: Option<Uuid>,
    pub acting_for_id: Option<Uuid>,
    pub task_department_id: Option<Uuid>,
    pub post_id: Option<Uuid>,
    pub number: String,
    pub matter_id: Uuid,
    pub lead_department_id: Uuid,
    pub lead_staff_id: Uuid,
    /// An urgent case's clock (reminded earlier).
    pub urgent: bool,
}

/// What the ladder needs to know of a matter.
#[derive(Debug, Clone)]
pub struct MatterFacts {
    pub name: String,
    /// 默认同意 — a task with no opinion at its deadline resolves as deemed approved.
    pub deemed_consent: bool,
}

/// Who is who at the moment of a sweep: addresses, department heads, centre admins, leaders,
/// departments, matters, post holders, who is away, the scoring table and the duty officers.
#[derive(Debug, Default, Clone)]
pub struct Directory {
    /// Every staff member's address.
    pub emails: HashMap<Uuid, String>,
    pub heads: HashMap<Uuid, Vec<Uuid>>,
    pub admins: Vec<Uuid>,
    pub leaders: Vec<Uuid>,
    pub departments: HashMap<Uuid, String>,
    pub matters: HashMap<Uuid, MatterFacts>,
    /// Each post's holders: A, then the B holders in order.
    pub chains: HashMap<Uuid, Vec<Uuid>>,
    pub away: HashSet<Uuid>,
    /// The scoring rule table: code → points.
    pub points: HashMap<String, i32>,
    /// 值班 — today's duty officers (they hear the escalations that fire after hours).
    pub on_duty: Vec<Uuid>,
}

impl Directory {
    /// A department's name.
    pub fn department(&self, id: Uuid) -> String {
        self.departments.get(&id).cloned().unwrap_or_default()
    }
}

/// A clock's new place on the ladder.
#[derive(Debug, Clone)]
pub struct ClockUpdate {
    pub id: Uuid,
    pub rung: i32,
    pub reminders: i32,
    pub next: Option<DateTime<Utc>>,
}

/// Everything a batch writes.
#[derive(Debug, Default)]
pub struct Effects {
    pub messages: Vec<NewMessage>,
    pub events: Vec<NewEvent>,
    pub opened: Vec<NewItem>,
    pub raised: Vec<Uuid>,
    pub updates: Vec<ClockUpdate>,
    /// Tasks whose matter deems consent and whose deadline has come: resolved afterwards, each
    /// in a transaction of its own that locks the case first.
    pub deemed: Vec<Uuid>,
    pub fired: BTreeMap<&'static str, u64>,
    /// 考核: a clock that reached its deadline unfinished costs its department (and the person
    /// working it) a `CASE_OVERDUE` entry.
    pub scores: Vec<NewScore>,
}

/// Which ladder mail a recipient gets: the one of a kind of step, or the duty officer's copy.
/// In the order of their template keys (`duty_escalation`, `ladder_daily`, …), the order a
/// batch queues a recipient's mail in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LadderTemplate {
    Duty,
    Daily,
    Due,
    RedCard,
    Reminder,
    YellowCard,
}

impl LadderTemplate {
    /// The template of a kind of step.
    fn of(step: Step) -> LadderTemplate {
        match step {
            Step::Reminder => LadderTemplate::Reminder,
            Step::Due => LadderTemplate::Due,
            Step::YellowCard => LadderTemplate::YellowCard,
            Step::RedCard => LadderTemplate::RedCard,
            Step::Daily(_) => LadderTemplate::Daily,
        }
    }

    /// The mail listing `items`.
    fn mail(self, items: Vec<LadderItem>) -> Mail {
        let mail = LadderMail { items };
        match self {
            LadderTemplate::Reminder => Mail::LadderReminder(mail),
            LadderTemplate::Due => Mail::LadderDue(mail),
            LadderTemplate::YellowCard => Mail::LadderYellowCard(mail),
            LadderTemplate::RedCard => Mail::LadderRedCard(mail),
            LadderTemplate::Daily => Mail::LadderDaily(mail),
            LadderTemplate::Duty => Mail::DutyEscalation(mail),
        }
    }
}

/// The people a task's reminder reaches: its assignee, and while the assignee is away and nobody
/// acts for them yet, the first available holder of the post.
fn task_people(dir: &Directory, c: &DueClock, assignee: Uuid) -> Vec<Uuid> {
    let mut people = vec![assignee];
    if c.acting_for_id.is_none() && dir.away.contains(&assignee) {
        let stand_in = c
            .post_id
            .and_then(|post| dir.chains.get(&post))
            .and_then(|chain| {
                chain
                    .iter()
                    .find(|s| **s != assignee && !dir.away.contains(*s))
            });
        people.extend(stand_in);
    }
    people
}

/// Plans the steps of `clocks` due at `now`.
pub fn plan(
    calendar: &WorkingCalendar,
    dir: &Directory,
    settings: &LadderSettings,
    clocks: &[DueClock],
    now: DateTime<Utc>,
) -> Result<Effects> {
    let mut fx = Effects::default();
    // (recipient, template) → the cases it concerns, in order; and the first clock, for the id.
    let mut mail: BTreeMap<(Uuid, LadderTemplate), (String, Vec<LadderItem>)> = BTreeMap::new();
    // 值班: a 黄牌 or 红牌 that fires while the centre is closed reaches the duty officer too.
    let after_hours = !calendar.is_open(now);
    for c in clocks {
        let matter = dir.matters.get(&c.matter_id);
        let progress = Progress {
            rung: c.rung,
            reminders: c.reminders,
        };
        let settings = &settings.for_clock(c.urgent);
        let (steps, reached) =
            ladder::due_steps(calendar, c.unit, c.due_at, progress, now, settings)?;
        if let (Some(task_id), Some(m)) = (c.task_id, matter)
            && m.deemed_consent
            && steps.contains(&Step::Due)
        {
            fx.deemed.push(task_id);
            continue;
        }
        let department_id = c.task_department_id.unwrap_or(c.lead_department_id);
        let department = dir.department(department_id);
        let owner = match c.assignee_id {
            Some(assignee) => task_people(dir, c, assignee),
            None => vec![c.lead_staff_id],
        };
        let light = if now > c.due_at {
            Light::Red
        } else {
            Light::Yellow
        };
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
            let item = LadderItem {
                case_id: c.case_id,
                number: c.number.clone(),
                matter: matter.map(|m| m.name.clone()),
                department: department.clone(),
                task_id: c.task_id,
                due_at: c.due_at,
                light,
                step: *step,
                days_overdue: match step {
                    Step::Daily(k) => *k,
                    Step::YellowCard => settings.yellow_card_after_days,
                    Step::RedCard => settings.red_card_after_days,
                    _ => 0,
                },
            };
            for person in &people {
                mail.entry((*person, LadderTemplate::of(*step)))
                    .or_insert_with(|| (format!("{}-{}", c.id, step.key()), Vec::new()))
                    .1
                    .push(item.clone());
            }
            if after_hours && matches!(step, Step::YellowCard | Step::RedCard) {
                for officer in &dir.on_duty {
                    mail.entry((*officer, LadderTemplate::Duty))
                        .or_insert_with(|| (format!("{}-{}-duty", c.id, step.key()), Vec::new()))
                        .1
                        .push(item.clone());
                    if !people.contains(officer) {
                        people.push(*officer);
                    }
                }
            }
            let mut event = NewEvent::case(EventKind::Escalated, c.case_id, None).after(json!({
                "step": step.key(),
                "clockId": c.id,
                "departmentId": department_id,
                "recipients": people,
            }));
            if let Some(task_id) = c.task_id {
                event = event.task(task_id);
            }
            fx.events.push(event);
            match step {
                Step::YellowCard => fx.opened.push(NewItem {
                    department_id,
                    case_id: Some(c.case_id),
                    task_id: c.task_id,
                    clock_id: Some(c.id),
                    source: SupervisionSource::Ladder,
                    title: format!("{department}：办件{}超期未办结", c.number),
                    detail: format!(
                        "“{}”{}超过办理期限{}个工作日（黄牌）。",
                        matter.map_or("", |m| m.name.as_str()),
                        if c.task_id.is_some() {
                            "的部门审查环节"
                        } else {
                            ""
                        },
                        settings.yellow_card_after_days
                    ),
                    opened_by: None,
                }),
                Step::RedCard => fx.raised.push(c.id),
                Step::Due => {
                    let mut score = NewScore::new(
                        CASE_OVERDUE,
                        c.id,
                        EventKind::Escalated.as_str(),
                        department_id,
                        now,
                        format!(
                            "办件{}{}超过办理期限",
                            c.number,
                            if c.task_id.is_some() {
                                "的部门审查环节"
                            } else {
                                ""
                            }
                        ),
                    );
                    score.staff_id = Some(c.assignee_id.unwrap_or(c.lead_staff_id));
                    score.case_id = Some(c.case_id);
                    score.task_id = c.task_id;
                    fx.scores.push(score);
                }
                _ => {}
            }
            *fx.fired.entry(step.kind()).or_default() += 1;
        }
        let next =
            ladder::next_at(calendar, c.unit, c.due_at, reached, settings)?.filter(|at| *at > now);
        fx.updates.push(ClockUpdate {
            id: c.id,
            rung: reached.rung,
            reminders: reached.reminders,
            next,
        });
    }
    for ((person, template), (first, items)) in mail {
        let Some(email) = dir.emails.get(&person) else {
            continue;
        };
        fx.messages.push(NewMessage {
            // The first clock and its step fire once, so no later batch makes this id again.
            message_id: format!("ladder-{first}-{person}"),
            recipient_id: Some(person),
            recipient_email: email.clone(),
            mail: template.mail(items),
        });
    }
    Ok(fx)
}
