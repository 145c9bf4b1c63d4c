//! The cron registrations: three lines around each job. Schedules come from settings (cron
//! expressions with seconds); the digest runs in the centre's time zone and only on working days.
//! A job still running when its next time comes is not started twice, and [`Jobs::stop`] waits
//! for the running ones to finish (a SIGTERM ends the process between jobs, never inside one).

use crate::jobs::Workers;
use lianban_rules::calendar::CENTRE_TZ;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::Mutex;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

/// When each job runs (cron with seconds: `sec min hour day month weekday`).
#[derive(Debug, Clone)]
pub struct Schedules {
    /// The deadline sweep (default every minute).
    pub sweep: String,
    /// The sender (default every 5 seconds).
    pub send: String,
    /// The leadership digest, in Asia/Shanghai (default 08:30).
    pub digest: String,
    /// The absence switcher (default every minute).
    pub absences: String,
}

impl Default for Schedules {
    fn default() -> Self {
        Schedules {
            sweep: "0 * * * * *".to_owned(),
            send: "*/5 * * * * *".to_owned(),
            digest: "0 30 8 * * *".to_owned(),
            absences: "30 * * * * *".to_owned(),
        }
    }
}

/// A job's body, given what it works on (the workers; a test's own state).
type Run<C> = fn(C) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// The running scheduler and each job's "running" lock.
pub struct Jobs {
    scheduler: JobScheduler,
    busy: Vec<Arc<Mutex<()>>>,
}

impl Jobs {
    /// Stops scheduling and waits for every job that is running to finish.
    ///
    /// # Errors
    /// When the scheduler cannot be shut down.
    pub async fn stop(mut self) -> Result<(), JobSchedulerError> {
        self.scheduler.shutdown().await?;
        for busy in &self.busy {
            let _finished = busy.lock().await;
        }
        Ok(())
    }
}

fn job<C: Clone + Send + Sync + 'static>(
    schedule: &str,
    workers: C,
    run: Run<C>,
    in_centre_zone: bool,
    running: &mut Vec<Arc<Mutex<()>>>,
) -> Result<Job, JobSchedulerError> {
    let busy = Arc::new(Mutex::new(()));
    running.push(busy.clone());
    let callback = move |_id, _lock| {
        let (workers, busy) = (workers.clone(), busy.clone());
        Box::pin(async move {
            let Ok(_running) = busy.try_lock() else {
                tracing::debug!("previous run still going; skipped");
                return;
            };
            run(workers).await;
        }) as Pin<Box<dyn Future<Output = ()> + Send>>
    };
    if in_centre_zone {
        Job::new_async_tz(schedule, CENTRE_TZ, callback)
    } else {
        Job::new_async(schedule, callback)
    }
}

fn report<T: std::fmt::Debug>(name: &str, result: lianban_engine::Result<T>) {
    match result {
        Ok(outcome) => tracing::debug!(job = name, ?outcome, "done"),
        Err(err) => {
            tracing::error!(job = name, error = %err, detail = err.internal_detail().unwrap_or_default(), "failed")
        }
    }
}

/// Starts every job on its schedule.
///
/// # Errors
/// When a schedule does not parse or the scheduler cannot start.
pub async fn start(
    workers: Arc<Workers>,
    schedules: &Schedules,
) -> Result<Jobs, JobSchedulerError> {
    let scheduler = JobScheduler::new().await?;
    let mut busy = Vec::new();
    scheduler
        .add(job(
            &schedules.sweep,
            workers.clone(),
            |w| Box::pin(async move { report("sweep", w.sweep_all(w.engine.now()).await) }),
            false,
            &mut busy,
        )?)
        .await?;
    scheduler
        .add(job(
            &schedules.send,
            workers.clone(),
            |w| Box::pin(async move { report("send", w.send(w.engine.now()).await) }),
            false,
            &mut busy,
        )?)
        .await?;
    scheduler
        .add(job(
            &schedules.digest,
            workers.clone(),
            |w| Box::pin(async move { report("digest", w.digest(w.engine.now()).await) }),
            true,
            &mut busy,
        )?)
        .await?;
    scheduler
        .add(job(
            &schedules.absences,
            workers,
            |w| {
                Box::pin(async move { report("absences", w.switch_absences(w.engine.now()).await) })
            },
            false,
            &mut busy,
        )?)
        .await?;
    scheduler.start().await?;
    Ok(Jobs { scheduler, busy })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU8, Ordering::SeqCst};
    use std::time::{Duration, Instant};

    /// What SIGTERM relies on: `stop` returns only after the run in progress has finished.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stop_waits_for_the_job_that_is_running() {
        // 0: not started, 1: running, 2: finished.
        let state = Arc::new(AtomicU8::new(0));
        let scheduler = JobScheduler::new().await.unwrap();
        let mut busy = Vec::new();
        let slow: Run<Arc<AtomicU8>> = |state| {
            Box::pin(async move {
                if state.compare_exchange(0, 1, SeqCst, SeqCst).is_ok() {
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                    state.store(2, SeqCst);
                }
            })
        };
        let every_second = job("* * * * * *", state.clone(), slow, false, &mut busy).unwrap();
        scheduler.add(every_second).await.unwrap();
        scheduler.start().await.unwrap();
        let jobs = Jobs { scheduler, busy };
        let deadline = Instant::now() + Duration::from_secs(5);
        while state.load(SeqCst) == 0 {
            assert!(Instant::now() < deadline, "the job never started");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        jobs.stop().await.unwrap();
        assert_eq!(
            state.load(SeqCst),
            2,
            "stop returned while the job was still running"
        );
    }
}
