//! 登录限流 — sign-in attempts limited per account and per network address, so a password
//! cannot be guessed by trying: at most [`PER_USER`] failed attempts for one username and
//! [`PER_ADDRESS`] failed attempts from one address in a sliding [`WINDOW`]; past that, every
//! attempt is refused before the password is checked, with the seconds to wait. Successful
//! sign-ins never count: a centre whose staff all sign in from behind one address at 08:00 is
//! not locked out.
//!
//! The counts live in the process (a restart forgets them; several `serve` processes each count
//! their own), which bounds guessing to a small multiple of the limits without a table that
//! every sign-in would write.

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};

/// Failed attempts allowed per username in a window.
pub const PER_USER: usize = 5;
/// Failed attempts allowed per address in a window.
pub const PER_ADDRESS: usize = 20;
/// The sliding window.
pub const WINDOW: Duration = Duration::minutes(15);
/// Keys kept at most; the oldest are dropped past this (memory stays bounded under a flood).
const MAX_KEYS: usize = 100_000;

/// Recent attempts by key (a username or an address).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: HashMap<String, VecDeque<DateTime<Utc>>>,
    attempts: HashMap<String, VecDeque<DateTime<Utc>>>,
}

fn prune(times: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
    while times.front().is_some_and(|t| *t <= now - WINDOW) {
        times.pop_front();
    }
}

/// Seconds until the oldest of `times` leaves the window, when there are `limit` of them.
fn wait(times: &mut VecDeque<DateTime<Utc>>, limit: usize, now: DateTime<Utc>) -> Option<i64> {
    prune(times, now);
    (times.len() >= limit).then(|| {
        let oldest = times.front().copied().unwrap_or(now);
        (oldest + WINDOW - now).num_seconds().max(1)
    })
}

fn bound(map: &mut HashMap<String, VecDeque<DateTime<Utc>>>, now: DateTime<Utc>) {
    if map.len() > MAX_KEYS {
        map.retain(|_, times| {
            prune(times, now);
            !times.is_empty()
        });
    }
}

impl Throttle {
    /// Whether an attempt for `username` from `address` may be checked; refuses with the seconds
    /// to wait when either has failed too often in the window.
    pub fn attempt(
        &mut self,
        username: &str,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), i64> {
        if let Some(times) = address.and_then(|a| self.attempts.get_mut(a))
            && let Some(seconds) = wait(times, PER_ADDRESS, now)
        {
            return Err(seconds);
        }
        if let Some(times) = self.failures.get_mut(username)
            && let Some(seconds) = wait(times, PER_USER, now)
        {
            return Err(seconds);
        }
        Ok(())
    }

    /// Records a failed attempt for `username` from `address`.
    pub fn failed(&mut self, username: &str, address: Option<&str>, now: DateTime<Utc>) {
        bound(&mut self.failures, now);
        self.failures
            .entry(username.to_owned())
            .or_default()
            .push_back(now);
        if let Some(address) = address {
            bound(&mut self.attempts, now);
            self.attempts
                .entry(address.to_owned())
                .or_default()
                .push_back(now);
        }
    }

    /// Forgets the failures of `username` after a successful sign-in.
    pub fn succeeded(&mut self, username: &str) {
        self.failures.remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
    }

    #[test]
    fn five_wrong_passwords_lock_the_account_for_the_rest_of_the_window() {
        let mut throttle = Throttle::default();
        for k in 0..PER_USER as i64 {
            let at = t0() + Duration::seconds(k);
            assert!(throttle.attempt("scjg.a", Some("10.0.0.1"), at).is_ok());
            throttle.failed("scjg.a", Some("10.0.0.1"), at);
        }
        let at = t0() + Duration::seconds(10);
        assert_eq!(
            throttle.attempt("scjg.a", Some("10.0.0.2"), at),
            Err(15 * 60 - 10)
        );
        assert!(
            throttle.attempt("scjg.b", Some("10.0.0.2"), at).is_ok(),
            "another account"
        );
        let later = t0() + WINDOW + Duration::seconds(1);
        assert!(throttle.attempt("scjg.a", Some("10.0.0.2"), later).is_ok());
    }

    #[test]
    fn one_address_guessing_many_accounts_is_stopped_and_successes_never_count() {
        let mut throttle = Throttle::default();
        for k in 0..200 {
            // A whole centre signing in from behind one address.
            assert!(
                throttle
                    .attempt(&format!("staff{k}"), Some("10.0.0.9"), t0())
                    .is_ok()
            );
        }
        for k in 0..PER_ADDRESS {
            assert!(
                throttle
                    .attempt(&format!("user{k}"), Some("10.0.0.9"), t0())
                    .is_ok()
            );
            throttle.failed(&format!("user{k}"), Some("10.0.0.9"), t0());
        }
        assert!(throttle.attempt("user99", Some("10.0.0.9"), t0()).is_err());
        assert!(throttle.attempt("user99", Some("10.0.0.10"), t0()).is_ok());
        throttle.failed("scjg.a", None, t0());
        throttle.succeeded("scjg.a");
        assert!(!throttle.failures.contains_key("scjg.a"));
    }
}
