use super::*;
use crate::calendar::{OfficeHours, YearSchedule, schedule};
use chrono::{NaiveDate, NaiveTime};

fn cal() -> WorkingCalendar {
    let years: Vec<(YearSchedule, i32)> = schedule::shipped()
        .unwrap()
        .into_iter()
        .map(|y| (y, 0))
        .collect();
    WorkingCalendar::with_years(OfficeHours::standard(), &years)
}

fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    cal().instant(
        NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
        NaiveTime::from_hms_opt(h, min, 0).unwrap(),
    )
}

fn settings() -> LadderSettings {
    LadderSettings {
        daily_reminder_cap: 3,
        ..LadderSettings::default()
    }
}

#[test]
fn the_rungs_fall_a_day_before_at_and_one_and_three_working_days_after_the_deadline() {
    let cal = cal();
    let due = local(11, 30, 18, 0); // Monday
    let at = |n| rung_at(&cal, LimitUnit::WorkingDays, due, n, &settings()).unwrap();
    assert_eq!(
        at(1),
        local(11, 27, 18, 0),
        "yellow with one working day left: Friday 18:00"
    );
    assert_eq!(at(2), due);
    assert_eq!(at(3), local(12, 1, 18, 0), "黄牌 one working day overdue");
    assert_eq!(
        at(4),
        local(12, 3, 18, 0),
        "红牌 three working days overdue"
    );
    assert_eq!(daily_at(&cal, due, 1).unwrap(), local(12, 1, 8, 0));
    let minutes = rung_at(
        &cal,
        LimitUnit::WorkingMinutes,
        local(11, 23, 14, 20),
        1,
        &settings(),
    )
    .unwrap();
    assert_eq!(
        minutes,
        local(11, 23, 14, 10),
        "an immediate case turns yellow with ten minutes left"
    );
}

#[test]
fn each_rung_fires_once_and_a_late_sweep_fires_every_one_it_missed() {
    let cal = cal();
    let due = local(11, 30, 18, 0);
    let s = settings();
    let (steps, p) = due_steps(
        &cal,
        LimitUnit::WorkingDays,
        due,
        Progress::default(),
        local(11, 27, 17, 0),
        &s,
    )
    .unwrap();
    assert!(steps.is_empty());
    assert_eq!(
        next_at(&cal, LimitUnit::WorkingDays, due, p, &s).unwrap(),
        Some(local(11, 27, 18, 0))
    );
    let (steps, p) = due_steps(
        &cal,
        LimitUnit::WorkingDays,
        due,
        p,
        local(11, 28, 10, 0),
        &s,
    )
    .unwrap();
    assert_eq!(steps, [Step::Reminder]);
    let (again, same) = due_steps(
        &cal,
        LimitUnit::WorkingDays,
        due,
        p,
        local(11, 28, 11, 0),
        &s,
    )
    .unwrap();
    assert!(again.is_empty(), "fired once");
    assert_eq!(same, p);
    // The sweep was down until Thursday 3 Dec 09:00: due and 黄牌 both fire, and one daily reminder.
    let (steps, p) =
        due_steps(&cal, LimitUnit::WorkingDays, due, p, local(12, 3, 9, 0), &s).unwrap();
    assert_eq!(steps, [Step::Due, Step::YellowCard, Step::Daily(3)]);
    assert_eq!(
        p,
        Progress {
            rung: 3,
            reminders: 3
        }
    );
    assert_eq!(
        next_at(&cal, LimitUnit::WorkingDays, due, p, &s).unwrap(),
        Some(local(12, 3, 18, 0))
    );
    let (steps, p) = due_steps(
        &cal,
        LimitUnit::WorkingDays,
        due,
        p,
        local(12, 10, 9, 0),
        &s,
    )
    .unwrap();
    assert_eq!(steps, [Step::RedCard], "reminders are capped at 3");
    assert_eq!(
        next_at(&cal, LimitUnit::WorkingDays, due, p, &s).unwrap(),
        None,
        "the ladder is done"
    );
}
