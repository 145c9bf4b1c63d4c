//! What every GraphQL request goes through, over HTTP and on a subscription's WebSocket:
//! the depth limit (outside introspection), execution, a stable `extensions.code` on every
//! error, and — per operation — a count by outcome and a latency in `/metrics` and a log line
//! (inside the request's span, so with its request id).
//!
//! The operation's label is its type and root fields — `query myTasks`, `mutation submitOpinion`
//! — which the schema bounds, so a client naming operations freely (or a fuzzer) cannot grow the
//! label set; a root field the schema does not have is `unknown`.
//!
//! This is a wrapper around the schema rather than schema extensions: an extension wraps every
//! field's resolution in boxed futures, which on a page of 50 tasks is most of the work.

use crate::graphql::LianbanSchema;
use crate::graphql::errors::ensure_codes;
use crate::graphql::{depth, text};
use crate::metrics::ApiMetrics;
use crate::ws::SocketControl;
use async_graphql::futures_util::stream::{self, BoxStream, StreamExt};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{Data, Executor, Request, Response, ServerError};
use std::any::TypeId;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

/// The root fields of each operation type.
#[derive(Debug, Default)]
struct Roots {
    query: HashSet<String>,
    mutation: HashSet<String>,
    subscription: HashSet<String>,
}

impl Roots {
    fn of(schema: &LianbanSchema) -> Self {
        let mut roots = Roots::default();
        let Ok(doc) = async_graphql::parser::parse_schema(schema.sdl()) else {
            return roots;
        };
        let mut names = ("Query".to_owned(), String::new(), String::new());
        for def in &doc.definitions {
            if let TypeSystemDefinition::Schema(s) = def {
                let name = |n: &Option<async_graphql::Positioned<async_graphql::Name>>| {
                    n.as_ref().map(|n| n.node.to_string()).unwrap_or_default()
                };
                names = (
                    name(&s.node.query),
                    name(&s.node.mutation),
                    name(&s.node.subscription),
                );
            }
        }
        for def in &doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let TypeKind::Object(object) = &t.node.kind else {
                continue;
            };
            let fields = object.fields.iter().map(|f| f.node.name.node.to_string());
            let name = t.node.name.node.as_str();
            if name == names.0 {
                roots.query.extend(fields);
            } else if name == names.1 {
                roots.mutation.extend(fields);
            } else if name == names.2 {
                roots.subscription.extend(fields);
            }
        }
        roots
    }

    /// `query myTasks`, `mutation login`, `query case+me` for the operation `name` picks.
    fn label(&self, doc: &ExecutableDocument, name: Option<&str>) -> String {
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
        let (kind, known) = match operation.node.ty {
            OperationType::Query => ("query", &self.query),
            OperationType::Mutation => ("mutation", &self.mutation),
            OperationType::Subscription => ("subscription", &self.subscription),
        };
        let mut fields: Vec<&str> = operation
            .node
            .selection_set
            .node
            .items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    if name.starts_with("__") || known.contains(name) {
                        name
                    } else {
                        "unknown"
                    }
                }
                _ => "fragment",
            })
            .collect();
        fields.sort_unstable();
        fields.dedup();
        format!("{kind} {}", fields.join("+"))
    }
}

/// A request-level refusal with its code.
trait WithCode {
    fn with_code(self, code: &str) -> Self;
}

impl WithCode for ServerError {
    fn with_code(mut self, code: &str) -> Self {
        self.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
        self
    }
}

/// The schema with the checks and telemetry around it (cheap to clone).
#[derive(Clone)]
pub struct Pipeline {
    schema: LianbanSchema,
    metrics: Arc<ApiMetrics>,
    roots: Arc<Roots>,
    /// Whether `__schema` and `__type` are answered.
    introspection: bool,
}

/// Whether a selection set (or a fragment it spreads) asks for `__schema` or `__type`.
fn asks_introspection(doc: &ExecutableDocument) -> bool {
    fn selects(set: &async_graphql::parser::types::SelectionSet) -> bool {
        set.items.iter().any(|item| match &item.node {
            Selection::Field(field) => {
                matches!(field.node.name.node.as_str(), "__schema" | "__type")
                    || selects(&field.node.selection_set.node)
            }
            Selection::InlineFragment(inline) => selects(&inline.node.selection_set.node),
            Selection::FragmentSpread(_) => false,
        })
    }
    doc.operations
        .iter()
        .any(|(_, op)| selects(&op.node.selection_set.node))
        || doc
            .fragments
            .values()
            .any(|f| selects(&f.node.selection_set.node))
}

impl Pipeline {
    /// Wraps `schema`, counting into `metrics`; with `introspection` off, a request asking for
    /// `__schema` or `__type` is refused with `FORBIDDEN`.
    pub fn new(schema: LianbanSchema, metrics: Arc<ApiMetrics>, introspection: bool) -> Self {
        let roots = Arc::new(Roots::of(&schema));
        Pipeline {
            schema,
            metrics,
            roots,
            introspection,
        }
    }

    /// The operation's label, and a refusal when it nests too deep. A query that does not parse
    /// goes on: the schema answers it with the parser's error.
    fn inspect(&self, request: &Request) -> (String, Option<ServerError>) {
        let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
            return ("unparsed".to_owned(), None);
        };
        let label = self.roots.label(&doc, request.operation_name.as_deref());
        if depth::deepest(&doc) > depth::MAX_DEPTH {
            let error = ServerError::new(
                format!("the query nests deeper than {} fields", depth::MAX_DEPTH),
                None,
            );
            return (label, Some(error));
        }
        if !self.introspection && asks_introspection(&doc) {
            let error = ServerError::new(
                "introspection is off on this server (setting api.introspection); the schema is published as api/schema.graphql",
                None,
            )
            .with_code("FORBIDDEN");
            return (label, Some(error));
        }
        let refusal = text::control_character(&doc, &request.variables).map(|field| {
            let mut error = ServerError::new(
                format!("{field}: contains a control character (only tab and line breaks are allowed in text)"),
                None,
            )
            .with_code("INVALID_INPUT");
            if let Some(ext) = error.extensions.as_mut() {
                ext.set("field", field.trim_start_matches('$'));
            }
            error
        });
        (label, refusal)
    }

    fn record(&self, label: &str, response: &Response, started: Instant) {
        let seconds = started.elapsed().as_secs_f64();
        let outcome = match response.errors.first() {
            None => "ok".to_owned(),
            Some(error) => match error.extensions.as_ref().and_then(|e| e.get("code")) {
                Some(async_graphql::Value::String(code)) => code.clone(),
                _ => "INVALID_INPUT".to_owned(),
            },
        };
        self.metrics.graphql_request(label, &outcome, seconds);
        tracing::info!(operation = %label, outcome = %outcome, ms = seconds * 1000.0, "graphql");
    }
}

impl Executor for Pipeline {
    async fn execute(&self, request: Request) -> Response {
        let started = Instant::now();
        let (label, refusal) = self.inspect(&request);
        let mut response = match refusal {
            Some(error) => Response::from_errors(vec![error]),
            None => self.schema.execute(request).await,
        };
        ensure_codes(&mut response);
        self.record(&label, &response, started);
        response
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (label, mut refusal) = self.inspect(&request);
        let this = self.clone();
        let started = Instant::now();
        let mut first = true;
        // A socket has a cap of subscriptions open at once; the place is held until the
        // subscription's stream is dropped (completed by the client, or the socket closed).
        let control = session_data
            .as_ref()
            .and_then(|data| data.get(&TypeId::of::<Arc<SocketControl>>()))
            .and_then(|any| any.downcast_ref::<Arc<SocketControl>>())
            .cloned();
        let slot = control.as_ref().and_then(SocketControl::claim);
        if let (Some(control), None, None) = (&control, &slot, &refusal) {
            refusal = Some(
                ServerError::new(
                    format!(
                        "at most {} subscriptions may be open at once on one connection; complete one first",
                        control.cap()
                    ),
                    None,
                )
                .with_code("INVALID_STATE"),
            );
        }
        let responses = match refusal {
            Some(error) => stream::once(async move { Response::from_errors(vec![error]) }).boxed(),
            None => self
                .schema
                .execute_stream_with_session_data(request, session_data.unwrap_or_default()),
        };
        responses
            .map(move |mut response| {
                let _held = &slot;
                ensure_codes(&mut response);
                // Each message counts; the latency is the first one's (the later ones wait for
                // events, not for the server).
                if first {
                    this.record(&label, &response, started);
                    first = false;
                } else {
                    this.record(&label, &response, Instant::now());
                }
                response
            })
            .boxed()
    }
}
