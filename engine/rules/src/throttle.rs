//! The arithmetic of limits, with no database: a growing delay for sign-in failures and a daily
//! allowance for anonymous requests.
//!
//! Sign-in follows the device-recognition approach of the well-kept identity servers (OWASP's
//! "slow down online guessing" with device cookies; Keycloak's growing wait) rather than a hard
//! lockout that an attacker controls:
//! - every attempt is counted *before* the password is checked, in the same write that checks
//!   the delay, so parallel guesses cannot all be checked;
//! - failures of one account **from one address** grow a delay (five free, then 1 s, 2 s, 4 s …
//!   up to 15 minutes): this is what stops guessing;
//! - failures of one account from everywhere, and from one address over every account, grow
//!   delays capped at a minute — but they do not apply to an account signing in from an address
//!   it signed in from before ([`KNOWN_FOR`]). So nobody can lock the admin out of the office,
//!   and a centre behind one NAT or proxy address keeps working while somebody guesses from it.

use chrono::{DateTime, Duration, Utc};

/// One counter as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// Attempts counted (sign-in: consecutive failures, including the one being checked).
    pub count: i32,
    /// When the counting began (a daily allowance: the day's start).
    pub window_started_at: DateTime<Utc>,
    /// No attempt before this.
    pub blocked_until: Option<DateTime<Utc>>,
    /// The last successful sign-in under this key.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last attempt.
    pub updated_at: DateTime<Utc>,
}

impl Counter {
    /// A counter with nothing counted yet.
    pub fn fresh(now: DateTime<Utc>) -> Self {
        Counter {
            count: 0,
            window_started_at: now,
            blocked_until: None,
            last_success_at: None,
            updated_at: now,
        }
    }
}

/// A delay that grows with consecutive failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed before any delay.
    pub free: i32,
    /// The longest delay.
    pub max_delay: Duration,
    /// Failures this old are forgotten.
    pub forget_after: Duration,
}

/// One account from one address.
pub const PAIR: Backoff = Backoff {
    free: 5,
    max_delay: Duration::minutes(15),
    forget_after: Duration::hours(24),
};

/// One account from addresses it has not signed in from before.
pub const ACCOUNT: Backoff = Backoff {
    free: 20,
    max_delay: Duration::minutes(1),
    forget_after: Duration::hours(24),
};

/// One address, over accounts that have not signed in from it before.
pub const ADDRESS: Backoff = Backoff {
    free: 50,
    max_delay: Duration::minutes(1),
    forget_after: Duration::hours(24),
};

/// An account that signed in from an address within this long is known there.
pub const KNOWN_FOR: Duration = Duration::days(90);

/// Whole seconds from `now` to `until`, at least 1.
fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let millis = (until - now).num_milliseconds();
    ((millis + 999) / 1000).max(1)
}

impl Backoff {
    /// The delay after the `failures`-th consecutive failure.
    pub fn delay_after(&self, failures: i32) -> Duration {
        let over = failures - self.free;
        if over < 0 {
            return Duration::zero();
        }
        let seconds = 1_i64.checked_shl(over.unsigned_abs()).unwrap_or(i64::MAX);
        Duration::seconds(seconds.min(self.max_delay.num_seconds()))
    }

    /// Counts one attempt under `counter` at `now`: the counter to store, or the seconds to wait
    /// before an attempt is taken.
    ///
    /// # Errors
    /// The seconds to wait while the delay of earlier failures runs.
    pub fn claim(&self, counter: Option<&Counter>, now: DateTime<Utc>) -> Result<Counter, i64> {
        let mut c = counter.cloned().unwrap_or_else(|| Counter::fresh(now));
        if let Some(until) = c.blocked_until
            && until > now
        {
            return Err(seconds_until(until, now));
        }
        if now - c.updated_at > self.forget_after {
            c.count = 0;
            c.window_started_at = now;
        }
        c.count = c.count.saturating_add(1);
        let delay = self.delay_after(c.count);
        c.blocked_until = (delay > Duration::zero()).then(|| now + delay);
        c.updated_at = now;
        Ok(c)
    }
}

/// The counters one sign-in attempt touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInKeys {
    /// The account from this address.
    pub pair: String,
    /// The account.
    pub account: String,
    /// The address.
    pub address: String,
}

/// The keys of an attempt for `username` from `address`.
pub fn sign_in_keys(username: &str, address: Option<&str>) -> SignInKeys {
    let address = address.unwrap_or("-");
    SignInKeys {
        pair: format!("signin:pair:{address}|{username}"),
        account: format!("signin:account:{username}"),
        address: format!("signin:address:{address}"),
    }
}

/// Whether the account signed in from this address recently (its pair counter remembers).
pub fn is_known(pair: Option<&Counter>, now: DateTime<Utc>) -> bool {
    pair.and_then(|c| c.last_success_at)
        .is_some_and(|at| now - at <= KNOWN_FOR)
}

/// Counts a sign-in attempt under the counters it touches (`pair`, `account`, `address` as
/// stored). Returns the counters to store — the pair always; the account and the address only
/// for an address the account is not known at — or, when any of them is still delayed, the
/// seconds to wait (and nothing is counted).
///
/// # Errors
/// The longest wait among the delayed counters.
pub fn claim_sign_in(
    keys: &SignInKeys,
    pair: Option<&Counter>,
    account: Option<&Counter>,
    address: Option<&Counter>,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Counter)>, i64> {
    let mut claims = vec![(keys.pair.clone(), PAIR.claim(pair, now))];
    if !is_known(pair, now) {
        claims.push((keys.account.clone(), ACCOUNT.claim(account, now)));
        claims.push((keys.address.clone(), ADDRESS.claim(address, now)));
    }
    let wait = claims
        .iter()
        .filter_map(|(_, claim)| claim.as_ref().err().copied())
        .max();
    match wait {
        Some(seconds) => Err(seconds),
        None => Ok(claims
            .into_iter()
            .filter_map(|(key, claim)| claim.ok().map(|c| (key, c)))
            .collect()),
    }
}

/// After a successful sign-in the pair (the account at this address) is known from now on and
/// its failures are forgotten. The account's and the address's counts stay: the owner signing
/// in from the office must not hand the guessers elsewhere a fresh set of free attempts.
pub fn after_success(pair: Option<&Counter>, now: DateTime<Utc>) -> Counter {
    let mut c = pair.cloned().unwrap_or_else(|| Counter::fresh(now));
    c.count = 0;
    c.blocked_until = None;
    c.window_started_at = now;
    c.updated_at = now;
    c.last_success_at = Some(now);
    c
}

/// A daily allowance (anonymous bookings per address, phone or mailbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyLimit {
    /// Requests allowed per day.
    pub per_day: i32,
}

impl DailyLimit {
    /// Counts one request of the day that began at `day_start` (and ends at `day_end`): the
    /// counter to store, or the seconds until the next day.
    ///
    /// # Errors
    /// Seconds until `day_end` once the day's allowance is used up.
    pub fn claim(
        &self,
        counter: Option<&Counter>,
        day_start: DateTime<Utc>,
        day_end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Counter, i64> {
        let mut c = counter
            .filter(|c| c.window_started_at == day_start)
            .cloned()
            .unwrap_or_else(|| Counter {
                window_started_at: day_start,
                ..Counter::fresh(now)
            });
        if c.count >= self.per_day {
            return Err(seconds_until(day_end, now));
        }
        c.count += 1;
        c.updated_at = now;
        Ok(c)
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
    fn the_delay_grows_after_the_free_failures_up_to_its_cap() {
        assert_eq!(PAIR.delay_after(4), Duration::zero());
        assert_eq!(PAIR.delay_after(5), Duration::seconds(1));
        assert_eq!(PAIR.delay_after(6), Duration::seconds(2));
        assert_eq!(PAIR.delay_after(12), Duration::seconds(128));
        assert_eq!(PAIR.delay_after(30), Duration::minutes(15));
        assert_eq!(PAIR.delay_after(i32::MAX), Duration::minutes(15));
        assert_eq!(ACCOUNT.delay_after(40), Duration::minutes(1));
    }

    #[test]
    fn parallel_attempts_at_one_instant_are_checked_only_up_to_the_free_failures() {
        let keys = sign_in_keys("admin", Some("203.0.113.66"));
        let mut pair = None;
        let mut account = None;
        let mut address = None;
        let mut checked = 0;
        for _ in 0..60 {
            if let Ok(claims) = claim_sign_in(
                &keys,
                pair.as_ref(),
                account.as_ref(),
                address.as_ref(),
                t0(),
            ) {
                checked += 1;
                for (key, c) in claims {
                    if key == keys.pair {
                        pair = Some(c);
                    } else if key == keys.account {
                        account = Some(c);
                    } else {
                        address = Some(c);
                    }
                }
            }
        }
        assert_eq!(checked, PAIR.free);
        let wait = claim_sign_in(&keys, pair.as_ref(), None, None, t0()).unwrap_err();
        assert_eq!(wait, 1);
        // A second later one more is taken, and the delay doubles.
        let later = t0() + Duration::seconds(1);
        let claims = claim_sign_in(&keys, pair.as_ref(), None, None, later).unwrap();
        assert_eq!(
            claims[0].1.blocked_until,
            Some(later + Duration::seconds(2))
        );
    }

    #[test]
    fn a_known_address_is_not_held_up_by_failures_elsewhere() {
        let keys = sign_in_keys("admin", Some("198.51.100.7"));
        let known = after_success(None, t0() - Duration::days(3));
        let flooded = Counter {
            count: 500,
            blocked_until: Some(t0() + Duration::minutes(1)),
            ..Counter::fresh(t0())
        };
        let claims =
            claim_sign_in(&keys, Some(&known), Some(&flooded), Some(&flooded), t0()).unwrap();
        assert_eq!(claims.len(), 1, "only the pair is counted");
        // Unknown there: the account's delay applies, at most a minute.
        let wait = claim_sign_in(&keys, None, Some(&flooded), None, t0()).unwrap_err();
        assert_eq!(wait, 60);
        // Known long ago: no longer.
        let stale = after_success(None, t0() - KNOWN_FOR - Duration::days(1));
        assert!(claim_sign_in(&keys, Some(&stale), Some(&flooded), None, t0()).is_err());
    }

    #[test]
    fn failures_are_forgotten_after_a_day_and_a_success_clears_them() {
        let mut c = None;
        for _ in 0..5 {
            c = Some(PAIR.claim(c.as_ref(), t0()).unwrap());
        }
        assert!(PAIR.claim(c.as_ref(), t0()).is_err());
        let next_day = t0() + Duration::hours(25);
        assert_eq!(PAIR.claim(c.as_ref(), next_day).unwrap().count, 1);
        let cleared = after_success(c.as_ref(), t0() + Duration::seconds(1));
        assert_eq!(cleared.count, 0);
        assert_eq!(cleared.blocked_until, None);
        assert!(is_known(Some(&cleared), t0() + Duration::days(1)));
    }

    #[test]
    fn a_daily_allowance_resets_with_the_day() {
        let limit = DailyLimit { per_day: 2 };
        let day = t0() - Duration::hours(9);
        let end = day + Duration::days(1);
        let one = limit.claim(None, day, end, t0()).unwrap();
        let two = limit.claim(Some(&one), day, end, t0()).unwrap();
        assert_eq!(two.count, 2);
        assert_eq!(
            limit.claim(Some(&two), day, end, t0()).unwrap_err(),
            (end - t0()).num_seconds()
        );
        let tomorrow = limit.claim(Some(&two), end, end + Duration::days(1), end);
        assert_eq!(tomorrow.unwrap().count, 1);
    }
}
