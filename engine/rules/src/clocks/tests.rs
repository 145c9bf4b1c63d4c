use super::*;
use crate::calendar::{OfficeHours, YearSchedule, schedule};
use chrono::{Duration, NaiveDate, NaiveTime};
use proptest::prelude::*;

fn cal() -> WorkingCalendar {
    let years: Vec<(YearSchedule, i32)> = schedule::shipped()
        .unwrap()
        .into_iter()
        .map(|y| (y, 0))
        .collect();
    WorkingCalendar::with_years(OfficeHours::standard(), &years)
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    cal().instant(
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        NaiveTime::from_hms_opt(h, min, 0).unwrap(),
    )
}

const T: LightThresholds = LightThresholds {
    yellow_working_days: 1,
    yellow_working_minutes: 10,
};

#[test]
fn a_three_day_pause_inside_a_ten_day_limit_moves_the_due_date_by_three_working_days() {
    let cal = cal();
    // Accepted Monday 2 Nov 2026, 10 working days → Monday 16 Nov 18:00.
    let mut clock =
        StatutoryClock::new(LimitUnit::WorkingDays, 10, local(2026, 11, 2, 9, 0)).unwrap();
    assert_eq!(
        clock.due_at(&cal, local(2026, 11, 2, 9, 0)).unwrap(),
        local(2026, 11, 16, 18, 0)
    );
    // Paused Wednesday 4 Nov 09:00 to Monday 9 Nov 09:00: Wed, Thu, Fri = 3 working days.
    clock.pause(local(2026, 11, 4, 9, 0), "补正材料").unwrap();
    clock.resume(local(2026, 11, 9, 9, 0)).unwrap();
    assert_eq!(
        clock.due_at(&cal, local(2026, 11, 9, 9, 0)).unwrap(),
        local(2026, 11, 19, 18, 0)
    );
}

#[test]
fn a_paused_clock_keeps_its_remaining_time_and_its_light() {
    let cal = cal();
    let mut clock =
        StatutoryClock::new(LimitUnit::WorkingDays, 2, local(2026, 11, 23, 9, 0)).unwrap();
    let before = clock.read(&cal, local(2026, 11, 24, 10, 0), T).unwrap();
    assert_eq!(
        before.remaining_seconds,
        14 * 3600,
        "Tue 10:00 → Wed 18:00: 6h + 8h"
    );
    assert_eq!(before.light, Light::Green);
    clock.pause(local(2026, 11, 24, 10, 0), "听证").unwrap();
    let later = clock.read(&cal, local(2026, 12, 10, 10, 0), T).unwrap();
    assert!(later.paused);
    assert_eq!(later.remaining_seconds, before.remaining_seconds);
    assert_eq!(later.light, Light::Green);
    assert!(
        later.due_at > local(2026, 12, 10, 10, 0),
        "the due time moves on while paused"
    );
}

#[test]
fn lights_turn_yellow_with_a_day_left_and_red_when_overdue() {
    let cal = cal();
    let clock = StatutoryClock::new(LimitUnit::WorkingDays, 3, local(2026, 11, 23, 9, 0)).unwrap();
    // Due Thursday 26 Nov 18:00.
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 25, 17, 59), T)
            .unwrap()
            .light,
        Light::Green
    );
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 25, 18, 0), T)
            .unwrap()
            .light,
        Light::Yellow
    );
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 26, 18, 0), T)
            .unwrap()
            .light,
        Light::Yellow
    );
    let late = clock.read(&cal, local(2026, 11, 27, 9, 0), T).unwrap();
    assert_eq!((late.light, late.remaining_seconds), (Light::Red, -3600));
}

#[test]
fn an_immediate_case_is_yellow_with_ten_minutes_left() {
    let cal = cal();
    let clock =
        StatutoryClock::new(LimitUnit::WorkingMinutes, 30, local(2026, 11, 23, 11, 50)).unwrap();
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 23, 14, 9), T)
            .unwrap()
            .light,
        Light::Green
    );
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 23, 14, 10), T)
            .unwrap()
            .light,
        Light::Yellow
    );
    assert_eq!(
        clock
            .read(&cal, local(2026, 11, 23, 14, 21), T)
            .unwrap()
            .light,
        Light::Red
    );
}

#[test]
fn a_stopped_step_keeps_the_light_it_finished_with() {
    let cal = cal();
    let mut clock =
        StatutoryClock::new(LimitUnit::WorkingDays, 1, local(2026, 11, 23, 9, 0)).unwrap();
    clock.stop(local(2026, 11, 25, 10, 0)); // due Tue 18:00, done Wed 10:00: two hours late
    let reading = clock.read(&cal, local(2026, 12, 25, 10, 0), T).unwrap();
    assert_eq!(
        (reading.light, reading.remaining_seconds),
        (Light::Red, -2 * 3600)
    );
}

#[test]
fn a_clock_into_a_year_without_a_schedule_is_provisional() {
    let cal = cal();
    let clock = StatutoryClock::new(LimitUnit::WorkingDays, 20, local(2026, 12, 20, 9, 0)).unwrap();
    assert!(
        clock
            .read(&cal, local(2026, 12, 20, 9, 0), T)
            .unwrap()
            .provisional
    );
    let inside = StatutoryClock::new(LimitUnit::WorkingDays, 5, local(2026, 11, 20, 9, 0)).unwrap();
    assert!(
        !inside
            .read(&cal, local(2026, 11, 20, 9, 0), T)
            .unwrap()
            .provisional
    );
}

#[test]
fn bad_budgets_and_bad_pauses_are_refused() {
    let start = local(2026, 11, 23, 9, 0);
    for (unit, budget) in [
        (LimitUnit::WorkingDays, 0),
        (LimitUnit::WorkingDays, -5),
        (LimitUnit::WorkingDays, 100_000),
        (LimitUnit::WorkingMinutes, i64::MAX),
    ] {
        assert_eq!(
            StatutoryClock::new(unit, budget, start).unwrap_err().code(),
            "INVALID_INPUT"
        );
    }
    let mut clock = StatutoryClock::new(LimitUnit::WorkingDays, 10, start).unwrap();
    assert_eq!(
        clock.resume(start).unwrap_err().code(),
        "INVALID_STATE",
        "resume without a pause"
    );
    clock.pause(start + Duration::hours(1), "a").unwrap();
    assert_eq!(
        clock
            .pause(start + Duration::hours(2), "b")
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "overlapping"
    );
    assert_eq!(
        clock.resume(start).unwrap_err().code(),
        "INVALID_INPUT",
        "resume before the pause"
    );
    let overlapping = vec![
        Pause {
            from: start + Duration::hours(1),
            to: Some(start + Duration::hours(5)),
            reason: "a".into(),
        },
        Pause {
            from: start + Duration::hours(3),
            to: Some(start + Duration::hours(6)),
            reason: "b".into(),
        },
    ];
    assert_eq!(
        StatutoryClock::restore(LimitUnit::WorkingDays, 10, start, overlapping, None)
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
    let before_start = vec![Pause {
        from: start - Duration::hours(1),
        to: None,
        reason: "a".into(),
    }];
    assert_eq!(
        StatutoryClock::restore(LimitUnit::WorkingDays, 10, start, before_start, None)
            .unwrap_err()
            .code(),
        "INVALID_INPUT"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pausing_never_shortens_a_deadline(
        start_offset in 0i64..(700 * 86_400),
        budget in 1i64..30,
        pause_after in 0i64..(40 * 86_400),
        pause_for in 0i64..(20 * 86_400),
    ) {
        let cal = cal();
        let start = local(2024, 3, 1, 0, 0) + Duration::seconds(start_offset);
        let plain = StatutoryClock::new(LimitUnit::WorkingDays, budget, start).unwrap();
        let mut paused = plain.clone();
        let from = start + Duration::seconds(pause_after);
        paused.pause(from, "p").unwrap();
        paused.resume(from + Duration::seconds(pause_for)).unwrap();
        let now = from + Duration::seconds(pause_for);
        let (due, due_paused) = (plain.due_at(&cal, now).unwrap(), paused.due_at(&cal, now).unwrap());
        prop_assert!(due_paused >= due);
        // …and moves it by exactly the paused working time.
        let paused_work = cal.working_seconds_between(from, from + Duration::seconds(pause_for)).unwrap();
        prop_assert_eq!(cal.working_seconds_between(due, due_paused).unwrap(), paused_work);
    }
}

#[test]
fn remaining_time_reads_like_a_clerk_says_it() {
    let day = 8 * 3600;
    assert_eq!(
        describe_remaining(2 * day + 3 * 3600, LimitUnit::WorkingDays, day),
        "剩余 2 个工作日 3 小时"
    );
    assert_eq!(
        describe_remaining(-40 * 60, LimitUnit::WorkingDays, day),
        "已超期 40 分钟"
    );
    assert_eq!(
        describe_remaining(25 * 60, LimitUnit::WorkingMinutes, day),
        "剩余 25 分钟"
    );
    assert_eq!(
        describe_remaining(0, LimitUnit::WorkingMinutes, day),
        "剩余 0 分钟"
    );
    assert_eq!(
        describe_remaining(86_400 + 60, LimitUnit::NaturalDays, day),
        "剩余 1 天 1 分钟"
    );
}
