//! The relay behind the `taskEvents` subscription: while anybody is subscribed, one task per
//! process reads the event log after the last sequence number it has seen and hands each task
//! event to every subscriber over a broadcast channel; each subscription keeps its department's.
//!
//! Reading the log (rather than passing events around in memory) means a change made by any
//! process — another `serve`, a `worker`'s sweep turning a light red — reaches every
//! subscriber. On PostgreSQL a transaction can commit after one with a higher sequence number
//! (numbers are drawn at insert), so the relay keeps reading from below such a gap until the
//! missing number shows up or [`GAP_PATIENCE`] has passed (a rolled-back insert leaves a gap
//! for ever).

use lianban_engine::Engine;
use lianban_engine::cases::task_feed::TaskEvent;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, broadcast};

/// How often the log is read while somebody is subscribed.
pub const POLL: Duration = Duration::from_millis(200);
/// How long a missing sequence number is waited for.
pub const GAP_PATIENCE: Duration = Duration::from_secs(10);
/// Rows read per query.
const PAGE: u64 = 1000;
/// Events buffered per subscriber before a slow one starts missing them.
const BUFFER: usize = 1024;

/// The process's task-event relay (cheap to clone).
#[derive(Clone)]
pub struct TaskFeed {
    engine: Engine,
    tx: broadcast::Sender<Arc<TaskEvent>>,
    running: Arc<Mutex<bool>>,
}

impl TaskFeed {
    /// A relay over `engine`'s event log; it starts reading at the first subscription.
    pub fn new(engine: Engine) -> Self {
        let (tx, _) = broadcast::channel(BUFFER);
        TaskFeed {
            engine,
            tx,
            running: Arc::new(Mutex::new(false)),
        }
    }

    /// Subscribes to every task event committed from now on.
    ///
    /// # Errors
    /// When the log cannot be read to find where "now" is.
    pub async fn subscribe(&self) -> lianban_engine::Result<broadcast::Receiver<Arc<TaskEvent>>> {
        let mut running = self.running.lock().await;
        let rx = self.tx.subscribe();
        if !*running {
            let start = self.engine.latest_event_seq().await?;
            *running = true;
            let (engine, tx, flag) = (self.engine.clone(), self.tx.clone(), self.running.clone());
            tokio::spawn(async move { relay(engine, tx, flag, start).await });
        }
        Ok(rx)
    }
}

/// Where the relay stands in the log: every number up to `low` is settled; above it, the
/// numbers already handed on and the missing ones being waited for.
#[derive(Debug, Default)]
struct Watermark {
    low: i64,
    seen: Vec<i64>,
    gaps: BTreeMap<i64, Instant>,
}

impl Watermark {
    /// Takes in the numbers of one read (in order).
    fn note(&mut self, seqs: &[i64], now: Instant) {
        let mut top = self.seen.last().copied().unwrap_or(self.low);
        for &seq in seqs {
            self.gaps.remove(&seq);
            if seq > top {
                for missing in top + 1..seq {
                    self.gaps.entry(missing).or_insert(now);
                }
                top = seq;
            }
            if !self.seen.contains(&seq) {
                self.seen.push(seq);
            }
        }
        self.gaps
            .retain(|_, since| now.duration_since(*since) < GAP_PATIENCE);
        self.seen.sort_unstable();
        // Everything below the oldest gap (or everything, without one) is settled.
        let settled = match self.gaps.keys().next() {
            Some(&gap) => gap - 1,
            None => top,
        };
        if settled > self.low {
            self.low = settled;
            self.seen.retain(|s| *s > settled);
        }
    }
}

async fn relay(
    engine: Engine,
    tx: broadcast::Sender<Arc<TaskEvent>>,
    running: Arc<Mutex<bool>>,
    start: i64,
) {
    let mut mark = Watermark {
        low: start,
        ..Watermark::default()
    };
    loop {
        tokio::time::sleep(POLL).await;
        {
            let mut flag = running.lock().await;
            if tx.receiver_count() == 0 {
                *flag = false;
                return;
            }
        }
        // From the watermark (so a late commit below a gap is read), page by page.
        let mut cursor = mark.low;
        loop {
            let page = match engine.task_events_after(cursor, PAGE).await {
                Ok(page) => page,
                Err(err) => {
                    tracing::warn!(error = %err, "task feed: cannot read the event log");
                    break;
                }
            };
            let fresh: Vec<i64> = page
                .seqs
                .iter()
                .copied()
                .filter(|s| !mark.seen.contains(s))
                .collect();
            for event in page.events {
                if fresh.contains(&event.seq) {
                    // No receiver left is not an error: the next round stops the relay.
                    let _ = tx.send(Arc::new(event));
                }
            }
            mark.note(&page.seqs, Instant::now());
            match page.seqs.last() {
                Some(&last) if page.seqs.len() as u64 == PAGE => cursor = last,
                _ => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_late_commit_below_the_watermark_is_still_read_and_an_old_gap_is_given_up() {
        let t0 = Instant::now();
        let mut mark = Watermark {
            low: 10,
            ..Watermark::default()
        };
        mark.note(&[11, 13], t0);
        assert_eq!(mark.low, 11, "12 is missing: read again from 11");
        assert_eq!(mark.seen, vec![13]);
        mark.note(&[12, 13], t0 + Duration::from_secs(1));
        assert_eq!(mark.low, 13);
        assert!(mark.seen.is_empty());
        mark.note(&[15], t0 + Duration::from_secs(2));
        assert_eq!(mark.low, 13, "14 is waited for");
        mark.note(&[15], t0 + Duration::from_secs(2) + GAP_PATIENCE);
        assert_eq!(mark.low, 15, "14 never came: rolled back");
    }
}
