//! Table tests a clerk would check, and properties against a slow day-by-day reference.

use super::*;
use proptest::prelude::*;

fn shipped_calendar() -> WorkingCalendar {
    let years: Vec<(YearSchedule, i32)> = schedule::shipped()
        .unwrap()
        .into_iter()
        .map(|y| (y, 0))
        .collect();
    WorkingCalendar::with_years(OfficeHours::standard(), &years)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A Shanghai-local instant.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    shipped_calendar().instant(date(y, m, d), NaiveTime::from_hms_opt(h, min, 0).unwrap())
}

#[test]
fn thirty_minutes_from_eleven_fifty_end_at_fourteen_twenty() {
    let due = shipped_calendar()
        .add_working_minutes(local(2026, 11, 23, 11, 50), 30)
        .unwrap();
    assert_eq!(due, local(2026, 11, 23, 14, 20));
}

#[test]
fn thirty_minutes_from_friday_seventeen_fifty_end_at_monday_eight_twenty() {
    let due = shipped_calendar()
        .add_working_minutes(local(2026, 11, 27, 17, 50), 30)
        .unwrap();
    assert_eq!(due, local(2026, 11, 30, 8, 20));
}

#[test]
fn minutes_before_opening_or_at_lunch_start_counting_at_the_next_opening() {
    let cal = shipped_calendar();
    assert_eq!(
        cal.add_working_minutes(local(2026, 11, 23, 6, 0), 30)
            .unwrap(),
        local(2026, 11, 23, 8, 30)
    );
    assert_eq!(
        cal.add_working_minutes(local(2026, 11, 23, 12, 30), 10)
            .unwrap(),
        local(2026, 11, 23, 14, 10)
    );
    assert_eq!(
        cal.add_working_minutes(local(2026, 11, 23, 11, 50), 10)
            .unwrap(),
        local(2026, 11, 23, 12, 0)
    );
}

#[test]
fn the_day_of_acceptance_is_not_counted() {
    let due = shipped_calendar()
        .add_working_days(local(2026, 11, 23, 9, 0), 1)
        .unwrap();
    assert_eq!(due, local(2026, 11, 24, 18, 0));
}

#[test]
fn five_working_days_across_the_2025_national_day_holiday_count_its_make_up_days() {
    // Accepted Sunday 28 Sep 2025, itself a make-up working day (not counted): Mon 29, Tue 30,
    // [1–8 Oct off], Thu 9, Fri 10, and Saturday 11 Oct, a make-up day.
    let due = shipped_calendar()
        .add_working_days(local(2025, 9, 28, 10, 0), 5)
        .unwrap();
    assert_eq!(due, local(2025, 10, 11, 18, 0));
}

#[test]
fn twenty_working_days_across_the_2026_spring_festival() {
    // Accepted Monday 9 Feb 2026: 10–13 Feb (4), Sat 14 Feb make-up (5), [15–23 Feb off],
    // 24–27 Feb (9), Sat 28 Feb make-up (10), 2–6 Mar (15), 9–13 Mar (20).
    let due = shipped_calendar()
        .add_working_days(local(2026, 2, 9, 9, 30), 20)
        .unwrap();
    assert_eq!(due, local(2026, 3, 13, 18, 0));
}

#[test]
fn days_have_the_kind_of_the_published_schedule() {
    let cal = shipped_calendar();
    assert_eq!(cal.day_kind(date(2026, 2, 14)), DayKind::MakeUp);
    assert_eq!(cal.day_kind(date(2026, 2, 16)), DayKind::Holiday);
    assert_eq!(cal.day_name(date(2026, 2, 16)), Some("春节"));
    assert_eq!(cal.day_kind(date(2026, 11, 28)), DayKind::Weekend);
    assert_eq!(cal.day_kind(date(2026, 11, 27)), DayKind::Working);
    assert_eq!(cal.day_kind(date(2024, 10, 12)), DayKind::MakeUp);
    assert!(!cal.is_provisional(2025));
    assert!(cal.is_provisional(2027));
    assert_eq!(
        cal.provisional_years(local(2026, 12, 20, 9, 0), local(2027, 1, 20, 9, 0)),
        vec![2027]
    );
}

#[test]
fn the_next_opening_skips_lunch_nights_weekends_and_holidays() {
    let cal = shipped_calendar();
    assert_eq!(
        cal.next_opening(local(2026, 11, 23, 9, 15)).unwrap(),
        local(2026, 11, 23, 9, 15)
    );
    assert_eq!(
        cal.next_opening(local(2026, 11, 23, 12, 30)).unwrap(),
        local(2026, 11, 23, 14, 0)
    );
    assert_eq!(
        cal.next_opening(local(2026, 11, 27, 18, 0)).unwrap(),
        local(2026, 11, 30, 8, 0)
    );
    assert_eq!(
        cal.next_opening(local(2026, 9, 30, 19, 0)).unwrap(),
        local(2026, 10, 8, 8, 0)
    );
}

#[test]
fn working_time_between_counts_office_hours_only() {
    let cal = shipped_calendar();
    let friday_five = local(2026, 11, 27, 17, 0);
    let monday_nine = local(2026, 11, 30, 9, 0);
    assert_eq!(
        cal.working_seconds_between(friday_five, monday_nine)
            .unwrap(),
        2 * 3600
    );
    assert_eq!(
        cal.working_seconds_between(monday_nine, friday_five)
            .unwrap(),
        -2 * 3600
    );
    // The whole 2026 Spring Festival break holds no working time.
    assert_eq!(
        cal.working_seconds_between(local(2026, 2, 14, 18, 0), local(2026, 2, 24, 8, 0))
            .unwrap(),
        0
    );
}

#[test]
fn the_shipped_data_names_its_source_and_covers_2024_to_2026() {
    let years = schedule::shipped().unwrap();
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2024, 2025, 2026]
    );
    for year in &years {
        assert!(year.source.contains("chinese-days"), "{}", year.source);
        assert!(year.source.contains("gov.cn"), "{}", year.source);
    }
}

#[test]
fn a_year_file_with_a_bad_date_is_refused() {
    let text = |holiday: &str, make_up: &str| YearText {
        year: 2027,
        source: "国办发明电".into(),
        holidays: vec![schedule::DayText {
            date: holiday.into(),
            name: "元旦".into(),
        }],
        make_up_days: vec![schedule::DayText {
            date: make_up.into(),
            name: "春节".into(),
        }],
    };
    let field = |t: YearText| match t.check().unwrap_err() {
        Error::InvalidInput { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(text("2027-02-30", "2027-02-06")), "holidays[0].date");
    assert_eq!(field(text("2027/01/01", "2027-02-06")), "holidays[0].date");
    assert_eq!(field(text("2026-12-31", "2027-02-06")), "holidays[0].date");
    assert_eq!(
        field(text("2027-01-01", "2027-02-08")),
        "makeUpDays",
        "a Monday is no make-up day"
    );
    assert_eq!(
        field(text("2027-02-06", "2027-02-06")),
        "holidays",
        "listed twice"
    );
    assert!(text("2027-01-01", "2027-02-06").check().is_ok());
}

/// The slow reference: walk minute by minute through a fixed UTC+8 day, no table.
fn reference_add_minutes(cal: &WorkingCalendar, start: DateTime<Utc>, n: i64) -> DateTime<Utc> {
    let east8 = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let mut left = chrono::Duration::minutes(n);
    let mut day = start.with_timezone(&east8).date_naive();
    loop {
        if cal.is_working_day(day) {
            for &(open, close) in cal.hours().periods() {
                let open = east8
                    .from_local_datetime(&day.and_time(open))
                    .unwrap()
                    .with_timezone(&Utc);
                let close = east8
                    .from_local_datetime(&day.and_time(close))
                    .unwrap()
                    .with_timezone(&Utc);
                let from = open.max(start);
                if from < close {
                    if left <= close - from {
                        return from + left;
                    }
                    left -= close - from;
                }
            }
        }
        day = day.succ_opt().unwrap();
    }
}

/// Working seconds from `from` to `to` (`from` ≤ `to`), summed day by day over the overlap of
/// each working day's office periods with the span — by a different road than the calendar's
/// positions.
fn reference_working_seconds(cal: &WorkingCalendar, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let east8 = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let mut total = 0;
    let mut day = from.with_timezone(&east8).date_naive();
    let last = to.with_timezone(&east8).date_naive();
    while day <= last {
        if cal.is_working_day(day) {
            for &(open, close) in cal.hours().periods() {
                let open = east8
                    .from_local_datetime(&day.and_time(open))
                    .unwrap()
                    .with_timezone(&Utc);
                let close = east8
                    .from_local_datetime(&day.and_time(close))
                    .unwrap()
                    .with_timezone(&Utc);
                let (a, b) = (open.max(from), close.min(to));
                if a < b {
                    total += (b - a).num_seconds();
                }
            }
        }
        day = day.succ_opt().unwrap();
    }
    total
}

fn instant_in_2024_to_2026() -> impl Strategy<Value = DateTime<Utc>> {
    let from = local(2024, 1, 1, 0, 0).timestamp();
    let to = local(2026, 12, 31, 23, 59).timestamp();
    (from..to).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_working_minutes_agrees_with_a_period_by_period_reference(start in instant_in_2024_to_2026(), n in 1u32..20_000) {
        let cal = shipped_calendar();
        let due = cal.add_working_minutes(start, n).unwrap();
        prop_assert_eq!(due, reference_add_minutes(&cal, start, i64::from(n)));
    }

    #[test]
    fn measuring_working_time_agrees_with_a_day_by_day_sum(a in instant_in_2024_to_2026(), span in 0i64..(120 * 86_400)) {
        let cal = shipped_calendar();
        let b = (a + chrono::Duration::seconds(span)).min(local(2026, 12, 31, 23, 59));
        let (a, b) = (a.min(b), a.max(b));
        let expected = reference_working_seconds(&cal, a, b);
        prop_assert_eq!(cal.working_seconds_between(a, b).unwrap(), expected);
        prop_assert_eq!(cal.working_seconds_between(b, a).unwrap(), -expected, "negative the other way");
    }

    #[test]
    fn due_times_never_fall_outside_office_hours(start in instant_in_2024_to_2026(), n in 1u32..20_000, days in 1u32..60) {
        let cal = shipped_calendar();
        for due in [cal.add_working_minutes(start, n).unwrap(), cal.add_working_days(start, days).unwrap()] {
            let local = due.with_timezone(&CENTRE_TZ);
            prop_assert!(cal.is_working_day(local.date_naive()), "{due} on a day off");
            let t = local.time();
            prop_assert!(cal.hours().periods().iter().any(|&(open, close)| open <= t && t <= close), "{due} outside hours");
        }
    }

    #[test]
    fn working_days_agree_with_a_day_by_day_count(start in instant_in_2024_to_2026(), n in 1u32..60) {
        let cal = shipped_calendar();
        let mut day = cal.local_date(start);
        let mut counted = 0;
        while counted < n {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                counted += 1;
            }
        }
        prop_assert_eq!(cal.add_working_days(start, n).unwrap(), cal.close_of(day));
    }

    #[test]
    fn results_do_not_depend_on_the_offset_an_instant_was_written_in(secs in 1_704_038_400i64..1_798_732_800, offset_hours in -12i32..14, n in 1u32..5_000) {
        let cal = shipped_calendar();
        let utc = DateTime::from_timestamp(secs, 0).unwrap();
        let elsewhere = utc.with_timezone(&chrono::FixedOffset::east_opt(offset_hours * 3600).unwrap());
        prop_assert_eq!(cal.add_working_minutes(utc, n).unwrap(), cal.add_working_minutes(elsewhere.with_timezone(&Utc), n).unwrap());
        prop_assert_eq!(cal.local_date(utc), utc.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive());
    }
}
