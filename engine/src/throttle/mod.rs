//! 限流 — counters every process shares (`throttles`), each claimed in one write transaction
//! before the work it limits: the row is locked (`FOR UPDATE` on PostgreSQL; SQLite has one
//! writer), the rule decides, the new count is stored, and only then is the password checked or
//! the booking made. The arithmetic is in [`rules`].

use crate::engine::Engine;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lianban_entity::throttle;
use lianban_rules::throttle as rules;
use rules::Counter;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use std::collections::HashMap;

fn to_counter(row: throttle::Model) -> (String, Counter) {
    (
        row.key,
        Counter {
            count: row.count,
            window_started_at: row.window_started_at,
            blocked_until: row.blocked_until,
            last_success_at: row.last_success_at,
            updated_at: row.updated_at,
        },
    )
}

/// The counters under `keys`, locked for the rest of the transaction (made first where
/// missing, so two first attempts queue on the same row).
pub(crate) async fn lock<C: ConnectionTrait>(
    txn: &C,
    keys: &[&str],
    now: DateTime<Utc>,
) -> Result<HashMap<String, Counter>> {
    let fresh = Counter::fresh(now);
    let rows = keys.iter().map(|key| throttle::ActiveModel {
        key: Set((*key).to_owned()),
        count: Set(0),
        window_started_at: Set(fresh.window_started_at),
        blocked_until: Set(None),
        last_success_at: Set(None),
        updated_at: Set(now),
    });
    throttle::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    let mut query =
        throttle::Entity::find().filter(throttle::Column::Key.is_in(keys.iter().copied()));
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_exclusive();
    }
    Ok(query.all(txn).await?.into_iter().map(to_counter).collect())
}

/// Stores `counter` under `key` (locked by [`lock`]).
pub(crate) async fn store<C: ConnectionTrait>(txn: &C, key: &str, counter: &Counter) -> Result<()> {
    throttle::Entity::update_many()
        .set(throttle::ActiveModel {
            count: Set(counter.count),
            window_started_at: Set(counter.window_started_at),
            blocked_until: Set(counter.blocked_until),
            last_success_at: Set(counter.last_success_at),
            updated_at: Set(counter.updated_at),
            ..Default::default()
        })
        .filter(throttle::Column::Key.eq(key))
        .exec(txn)
        .await?;
    Ok(())
}

impl Engine {
    /// Counts a sign-in attempt before its password is checked (see [`rules::claim_sign_in`]).
    ///
    /// # Errors
    /// `UNAUTHENTICATED` with the seconds to wait while a delay runs (nothing is counted then).
    pub(crate) async fn claim_sign_in(&self, keys: &rules::SignInKeys) -> Result<()> {
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let counters = lock(&txn, &[&keys.pair, &keys.account, &keys.address], now).await?;
        match rules::claim_sign_in(
            keys,
            counters.get(&keys.pair),
            counters.get(&keys.account),
            counters.get(&keys.address),
            now,
        ) {
            Err(retry_after_seconds) => {
                txn.rollback().await?;
                Err(Error::TooManyAttempts {
                    retry_after_seconds,
                })
            }
            Ok(claims) => {
                for (key, counter) in &claims {
                    store(&txn, key, counter).await?;
                }
                txn.commit().await?;
                Ok(())
            }
        }
    }

    /// Records a successful sign-in: the account is known at this address from now on.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub(crate) async fn sign_in_succeeded(&self, keys: &rules::SignInKeys) -> Result<()> {
        let now = self.now();
        let (_gate, txn) = self.begin_write().await?;
        let counters = lock(&txn, &[&keys.pair], now).await?;
        store(
            &txn,
            &keys.pair,
            &rules::after_success(counters.get(&keys.pair), now),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Counts one anonymous request under each of `keys` against its daily allowance, for the
    /// Shanghai day of `now`.
    ///
    /// # Errors
    /// `FORBIDDEN` with the seconds until tomorrow when any allowance is used up (then nothing
    /// is counted).
    pub(crate) async fn claim_daily<C: ConnectionTrait>(
        &self,
        txn: &C,
        keys: &[(String, rules::DailyLimit, &str)],
    ) -> Result<()> {
        let now = self.now();
        let today = lianban_rules::calendar::local_date(now);
        let calendar = self.calendar();
        let start = calendar.instant(today, chrono::NaiveTime::MIN);
        let end = calendar.instant(today + chrono::Duration::days(1), chrono::NaiveTime::MIN);
        let names: Vec<&str> = keys.iter().map(|(k, _, _)| k.as_str()).collect();
        let counters = lock(txn, &names, now).await?;
        let mut claimed = Vec::with_capacity(keys.len());
        for (key, limit, what) in keys {
            match limit.claim(counters.get(key), start, end, now) {
                Ok(counter) => claimed.push((key, counter)),
                Err(retry_after_seconds) => {
                    return Err(Error::Limited {
                        what: format!("at most {} a day {what}", limit.per_day),
                        retry_after_seconds,
                    });
                }
            }
        }
        for (key, counter) in claimed {
            store(txn, key, &counter).await?;
        }
        Ok(())
    }

    /// Forgets counters nobody has touched for a day, except an account's recent successes at
    /// an address (they are what makes the address known).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn prune_throttles(&self, now: DateTime<Utc>) -> Result<u64> {
        let stale = now - chrono::Duration::hours(25);
        let forgotten = now - rules::KNOWN_FOR;
        let deleted = throttle::Entity::delete_many()
            .filter(throttle::Column::UpdatedAt.lt(stale))
            .filter(
                Condition::any()
                    .add(throttle::Column::LastSuccessAt.is_null())
                    .add(throttle::Column::LastSuccessAt.lt(forgotten)),
            )
            .exec(self.db())
            .await?;
        Ok(deleted.rows_affected)
    }
}
