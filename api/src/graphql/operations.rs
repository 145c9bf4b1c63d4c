//! Per-operation telemetry: every GraphQL request is counted and timed in `/metrics` and logged
//! (inside the request's span, so with its request id) under a label made of its operation type
//! and root fields — `query myTasks`, `mutation submitOpinion` — which the schema bounds, so a
//! client naming operations freely (or a fuzzer) cannot grow the label set. A root field the
//! schema does not have is labelled `unknown`.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection,
};
use async_graphql::{Request, Response, ServerResult, Variables};
use lianban_workers::Metrics;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The extension factory (one [`PerRequest`] per request).
pub struct OperationMetrics(pub Arc<Metrics>);

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            metrics: self.0.clone(),
            name: Mutex::new(None),
            label: Mutex::new(None),
        })
    }
}

struct PerRequest {
    metrics: Arc<Metrics>,
    /// The operation name the client picked, if any.
    name: Mutex<Option<String>>,
    label: Mutex<Option<String>>,
}

/// `query myTasks`, `mutation login`, `query case+me`, from the operation the request runs.
fn label(ctx: &ExtensionContext<'_>, doc: &ExecutableDocument, name: Option<&str>) -> String {
    let operation = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    let Some(operation) = operation else {
        return "unknown".to_owned();
    };
    let registry = &ctx.schema_env.registry;
    let (kind, root) = match operation.node.ty {
        OperationType::Query => ("query", Some(registry.query_type.as_str())),
        OperationType::Mutation => ("mutation", registry.mutation_type.as_deref()),
        OperationType::Subscription => ("subscription", registry.subscription_type.as_deref()),
    };
    let root = root.and_then(|r| registry.types.get(r));
    let mut fields: Vec<&str> = operation
        .node
        .selection_set
        .node
        .items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(f) => {
                let name = f.node.name.node.as_str();
                let known =
                    name.starts_with("__") || root.is_some_and(|t| t.field_by_name(name).is_some());
                if known { name } else { "unknown" }
            }
            _ => "fragment",
        })
        .collect();
    fields.sort_unstable();
    fields.dedup();
    format!("{kind} {}", fields.join("+"))
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Ok(mut name) = self.name.lock() {
            *name = request.operation_name.clone();
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let name = self.name.lock().ok().and_then(|n| n.clone());
        if let Ok(mut slot) = self.label.lock() {
            *slot = Some(label(ctx, &doc, name.as_deref()));
        }
        Ok(doc)
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let seconds = started.elapsed().as_secs_f64();
        let label = self
            .label
            .lock()
            .ok()
            .and_then(|mut l| l.take())
            .unwrap_or_else(|| "unparsed".to_owned());
        let outcome = match response.errors.first() {
            None => "ok".to_owned(),
            Some(error) => error
                .extensions
                .as_ref()
                .and_then(|ext| ext.get("code"))
                .and_then(|code| match code {
                    async_graphql::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "INVALID_INPUT".to_owned()),
        };
        self.metrics.graphql_request(&label, &outcome, seconds);
        tracing::info!(
            operation = %label,
            outcome = %outcome,
            ms = seconds * 1000.0,
            "graphql"
        );
        response
    }
}
