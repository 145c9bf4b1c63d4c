//! `/metrics` — Prometheus text: sweep runs and duration, clocks examined, rungs fired by kind,
//! messages sent, failed and pending. The registry is shared: the API registers its own
//! counters (GraphQL requests) in it with [`Metrics::register`].

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The workers' counters, shared by every job and the `/metrics` endpoint.
#[derive(Debug)]
pub struct Metrics {
    registry: std::sync::Mutex<Registry>,
    /// Sweeps run.
    pub sweeps: Counter,
    /// How long each sweep took, in seconds.
    pub sweep_seconds: Histogram,
    /// Clocks the sweeps examined.
    pub clocks_examined: Counter,
    /// Escalation steps fired, by kind.
    pub rungs_fired: Family<Vec<(String, String)>, Counter>,
    /// Tasks resolved as deemed approvals.
    pub deemed: Counter,
    /// Messages delivered.
    pub messages_sent: Counter,
    /// Delivery attempts that failed.
    pub messages_failed: Counter,
    /// Messages given up on after the last attempt.
    pub messages_given_up: Counter,
    /// Messages waiting to be sent (set when scraped).
    pub messages_pending: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Fresh counters in their registry.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("lianban");
        let sweeps = Counter::default();
        let sweep_seconds = Histogram::new([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0]);
        let clocks_examined = Counter::default();
        let rungs_fired = Family::<Vec<(String, String)>, Counter>::default();
        let deemed = Counter::default();
        let messages_sent = Counter::default();
        let messages_failed = Counter::default();
        let messages_given_up = Counter::default();
        let messages_pending = Gauge::default();
        registry.register("sweep_runs", "Deadline sweeps run", sweeps.clone());
        registry.register(
            "sweep_duration_seconds",
            "How long a deadline sweep took",
            sweep_seconds.clone(),
        );
        registry.register(
            "sweep_clocks_examined",
            "Clocks examined by the deadline sweep",
            clocks_examined.clone(),
        );
        registry.register(
            "rungs_fired",
            "Escalation steps fired, by kind",
            rungs_fired.clone(),
        );
        registry.register(
            "deemed_approvals",
            "Tasks resolved as deemed approvals",
            deemed.clone(),
        );
        registry.register("messages_sent", "Messages delivered", messages_sent.clone());
        registry.register(
            "messages_failed",
            "Message delivery attempts that failed",
            messages_failed.clone(),
        );
        registry.register(
            "messages_given_up",
            "Messages marked failed after the last attempt",
            messages_given_up.clone(),
        );
        registry.register(
            "messages_pending",
            "Messages waiting to be sent",
            messages_pending.clone(),
        );
        Metrics {
            registry: std::sync::Mutex::new(registry),
            sweeps,
            sweep_seconds,
            clocks_examined,
            rungs_fired,
            deemed,
            messages_sent,
            messages_failed,
            messages_given_up,
            messages_pending,
        }
    }

    /// Adds another part's metric to the registry `/metrics` renders (named with the
    /// `lianban_` prefix).
    pub fn register(
        &self,
        name: &str,
        help: &str,
        metric: impl prometheus_client::registry::Metric,
    ) {
        self.registry
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .register(name, help, metric);
    }

    /// Counts a fired step of `kind`.
    pub fn fired(&self, kind: &str, n: u64) {
        self.rungs_fired
            .get_or_create(&vec![("kind".to_owned(), kind.to_owned())])
            .inc_by(n);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        if encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}
