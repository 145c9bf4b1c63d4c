//! The API's own metrics: GraphQL requests by operation (count by outcome, latency), registered
//! in the registry `/metrics` renders beside the workers' counters.

use lianban_workers::Metrics;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;

/// Latency histograms by label set.
type Latencies = Family<Vec<(String, String)>, Histogram, fn() -> Histogram>;

/// Latency buckets for GraphQL requests (seconds).
fn request_buckets() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    ])
}

/// GraphQL request counters.
#[derive(Debug)]
pub struct ApiMetrics {
    requests: Family<Vec<(String, String)>, Counter>,
    seconds: Latencies,
}

impl ApiMetrics {
    /// The API's counters, registered in `registry`.
    pub fn register(registry: &Metrics) -> Self {
        let requests = Family::<Vec<(String, String)>, Counter>::default();
        let seconds = Latencies::new_with_constructor(request_buckets);
        registry.register(
            "graphql_requests",
            "GraphQL requests, by operation and outcome",
            requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "GraphQL request latency, by operation",
            seconds.clone(),
        );
        ApiMetrics { requests, seconds }
    }

    /// Counts one GraphQL request of `operation` with its `outcome` and latency.
    pub fn graphql_request(&self, operation: &str, outcome: &str, seconds: f64) {
        self.requests
            .get_or_create(&vec![
                ("operation".to_owned(), operation.to_owned()),
                ("outcome".to_owned(), outcome.to_owned()),
            ])
            .inc();
        self.seconds
            .get_or_create(&vec![("operation".to_owned(), operation.to_owned())])
            .observe(seconds);
    }
}
