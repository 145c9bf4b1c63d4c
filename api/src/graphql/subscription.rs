//! Subscriptions over WebSocket (graphql-transport-ws at `/graphql/ws`): `taskEvents`, a
//! department's task events as they are committed.

use crate::feed::TaskFeed;
use crate::graphql::Session;
use crate::graphql::enums::Light;
use crate::graphql::errors::Gql;
use crate::graphql::session::actor;
use crate::graphql::types::{Task, engine, parse_id};
use crate::ws::{SocketControl, still_allowed};
use async_graphql::futures_util::{Stream, StreamExt as _, future, stream};
use async_graphql::{Context, Enum, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use lianban_engine::Error;
use lianban_engine::cases::task_feed::{self, TaskEvent as Row};
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;
use uuid::Uuid;

/// Events delivered per check of the subscriber's sign-in.
const BATCH: usize = 64;

/// What happened to a task.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "task_feed::TaskEventKind")]
pub enum TaskEventKind {
    /// A case was accepted and the task created for the department.
    Created,
    /// It moved to another staff member (AB post, transfer, an absence starting or ending).
    Reassigned,
    /// Its light changed: `YELLOW` at the reminder, `RED` at the deadline.
    LightChanged,
    /// The department's opinion is in (or consent was deemed).
    Resolved,
    /// The case was withdrawn.
    Cancelled,
}

/// A task event.
pub struct TaskEvent(Arc<Row>);

#[Object]
impl TaskEvent {
    /// Its place in the event log (increasing).
    async fn seq(&self) -> i64 {
        self.0.seq
    }

    async fn kind(&self) -> TaskEventKind {
        self.0.kind.into()
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The new light, for `LIGHT_CHANGED`.
    async fn light(&self) -> Option<Light> {
        self.0.light.map(Into::into)
    }

    async fn task_id(&self) -> ID {
        ID(self.0.task_id.to_string())
    }

    async fn case_id(&self) -> ID {
        ID(self.0.case_id.to_string())
    }

    /// The task as it is now (its case, assignee, clock), read with the subscriber's rights.
    async fn task(&self, ctx: &Context<'_>) -> async_graphql::Result<Task> {
        let actor = actor(ctx).await?;
        Ok(Task::from(
            engine(ctx)?.task(actor, self.0.task_id).await.gql()?,
        ))
    }
}

/// The root of every subscription.
#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// 环节动态 — task events of a department as they are committed: created, reassigned, light
    /// changed, resolved, cancelled. Without `departmentId`, the subscriber's own department;
    /// another department's only for those who read everything (leaders, supervisors, the
    /// centre admin). The subscriber's sign-in is checked again at every batch of events: once
    /// the token has expired or the account is deactivated, the stream ends with
    /// `UNAUTHENTICATED` and the socket is closed.
    async fn task_events(
        &self,
        ctx: &Context<'_>,
        department_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<TaskEvent>> + use<>> {
        let verified = ctx.data::<Session>()?.verified().gql()?.ok_or_else(|| {
            crate::graphql::to_gql(Error::Unauthenticated(
                "sign in first: send the token in connection_init".into(),
            ))
        })?;
        let engine = engine(ctx)?.clone();
        let control = ctx.data_opt::<Arc<SocketControl>>().cloned();
        still_allowed(&engine, verified).await.gql()?;
        let actor = actor(ctx).await?;
        let department: Uuid = match department_id {
            None => actor.department_id,
            Some(id) => parse_id("departmentId", &id)?,
        };
        if department != actor.department_id && !actor.reads_everything() {
            return Err(crate::graphql::to_gql(Error::Forbidden(
                "another department's task events".to_owned(),
            )));
        }
        let rx = ctx.data::<TaskFeed>()?.subscribe().await.gql()?;
        let events = BroadcastStream::new(rx).filter_map(move |item| {
            future::ready(match item {
                Ok(row) if row.departments.contains(&department) => Some(TaskEvent(row)),
                // A subscriber too slow to keep up misses events rather than stalling the others.
                _ => None,
            })
        });
        Ok(events
            .ready_chunks(BATCH)
            .then(move |batch| {
                let (engine, control) = (engine.clone(), control.clone());
                async move {
                    match still_allowed(&engine, verified).await {
                        Ok(()) => Ok(batch),
                        Err(err) => {
                            if let Some(control) = &control {
                                control.close(&err);
                            }
                            Err(err)
                        }
                    }
                }
            })
            .scan(false, |ended, batch| {
                let out = if *ended {
                    None
                } else {
                    *ended = batch.is_err();
                    Some(match batch {
                        Ok(events) => stream::iter(events.into_iter().map(Ok).collect::<Vec<_>>()),
                        Err(err) => stream::iter(vec![Err(crate::graphql::to_gql(err))]),
                    })
                };
                future::ready(out)
            })
            .flatten())
    }
}
