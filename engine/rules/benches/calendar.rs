//! Calendar throughput (issue: ≥ 1 million operations per second on one core for "add N working
//! days" and "working time between"). Run: `cargo bench -p lianban-engine --bench calendar`.
//! Prints operations per second; a benchmark, not a test: nothing here asserts a speed.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use chrono::{DateTime, Duration, TimeZone, Utc};
use lianban_rules::calendar::{OfficeHours, WorkingCalendar, YearSchedule, schedule};
use std::hint::black_box;
use std::time::Instant;

const OPS: usize = 2_000_000;

/// A small deterministic generator, so every run measures the same inputs.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn report(name: &str, started: Instant, ops: usize) {
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name:<40} {ops:>9} ops in {seconds:>6.3} s = {:>12.0} ops/s",
        ops as f64 / seconds
    );
}

fn main() {
    let years: Vec<(YearSchedule, i32)> = schedule::shipped()
        .unwrap_or_default()
        .into_iter()
        .map(|y| (y, 0))
        .collect();
    let calendar = WorkingCalendar::with_years(OfficeHours::standard(), &years);
    let base = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let span = 3 * 365 * 86_400;
    let mut rng = Lcg(42);
    let instants: Vec<DateTime<Utc>> = (0..4096)
        .map(|_| base + Duration::seconds((rng.next() % span) as i64))
        .collect();
    let amounts: Vec<u32> = (0..4096).map(|_| 1 + (rng.next() % 20) as u32).collect();

    println!("calendar benchmark: shipped 2024–2026 schedules, default office hours, one thread");
    let started = Instant::now();
    for i in 0..OPS {
        black_box(
            calendar
                .add_working_days(black_box(instants[i & 4095]), black_box(amounts[i & 4095]))
                .ok(),
        );
    }
    report("add N working days (N in 1..=20)", started, OPS);

    let started = Instant::now();
    for i in 0..OPS {
        let (a, b) = (instants[i & 4095], instants[(i + 1) & 4095]);
        black_box(
            calendar
                .working_seconds_between(black_box(a), black_box(b))
                .ok(),
        );
    }
    report("working time between two instants", started, OPS);

    let started = Instant::now();
    for i in 0..OPS {
        black_box(
            calendar
                .add_working_minutes(
                    black_box(instants[i & 4095]),
                    black_box(amounts[i & 4095] * 30),
                )
                .ok(),
        );
    }
    report("add N working minutes (N in 30..=600)", started, OPS);

    let started = Instant::now();
    for i in 0..OPS {
        black_box(calendar.is_working_day(black_box(calendar.local_date(instants[i & 4095]))));
    }
    report("is this a working day", started, OPS);
}
