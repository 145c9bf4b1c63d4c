//! The filters of the lists, as input objects (`myTasks(filter: {status: OPEN, light: RED})`):
//! every field optional, the fields given combine.

use crate::graphql::enums::{
    AppointmentKind, AppointmentStatus, CaseKind, CaseStatus, Light, SupervisionLevel,
    SupervisionSource, SupervisionStatus, TaskStatus,
};
use crate::graphql::errors::Gql;
use crate::graphql::types::parse_id;
use async_graphql::{ID, InputObject};
use chrono::{DateTime, NaiveDate, Utc};
use lianban_engine::Engine;
use uuid::Uuid;

fn id(field: &str, id: Option<&ID>) -> async_graphql::Result<Option<Uuid>> {
    id.map(|id| parse_id(field, id)).transpose()
}

async fn matter(engine: &Engine, code: Option<&str>) -> async_graphql::Result<Option<Uuid>> {
    match code {
        Some(code) => Ok(Some(
            engine.matter_id_by_code("matterCode", code).await.gql()?,
        )),
        None => Ok(None),
    }
}

/// Which of my tasks: `light` matches running clocks by their light now; `from`/`to` bound when
/// the task was created.
#[derive(InputObject, Default)]
#[graphql(name = "TaskFilter")]
pub struct TaskFilterInput {
    status: Option<TaskStatus>,
    light: Option<Light>,
    kind: Option<CaseKind>,
    matter_code: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl TaskFilterInput {
    /// As the engine takes it.
    ///
    /// # Errors
    /// `NOT_FOUND` for an unknown matter code.
    pub async fn engine(
        self,
        engine: &Engine,
    ) -> async_graphql::Result<lianban_engine::cases::TaskFilter> {
        Ok(lianban_engine::cases::TaskFilter {
            status: self.status.map(Into::into),
            light: self.light.map(Into::into),
            kind: self.kind.map(Into::into),
            matter_id: matter(engine, self.matter_code.as_deref()).await?,
            created_from: self.from,
            created_to: self.to,
        })
    }
}

/// Which cases: `departmentId` leading or with a task; `light` of the case's own running clock
/// now; `from`/`to` bound when the case was received.
#[derive(InputObject, Default)]
#[graphql(name = "CaseFilter")]
pub struct CaseFilterInput {
    status: Option<CaseStatus>,
    kind: Option<CaseKind>,
    department_id: Option<ID>,
    matter_code: Option<String>,
    light: Option<Light>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl CaseFilterInput {
    /// As the engine takes it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed id; `NOT_FOUND` for an unknown matter code.
    pub async fn engine(
        self,
        engine: &Engine,
    ) -> async_graphql::Result<lianban_engine::cases::CaseFilter> {
        Ok(lianban_engine::cases::CaseFilter {
            status: self.status.map(Into::into),
            kind: self.kind.map(Into::into),
            department_id: id("departmentId", self.department_id.as_ref())?,
            matter_id: matter(engine, self.matter_code.as_deref()).await?,
            light: self.light.map(Into::into),
            received_from: self.from,
            received_to: self.to,
        })
    }
}

/// Which supervision items: `from`/`to` bound when an item was opened.
#[derive(InputObject, Default)]
#[graphql(name = "SupervisionFilter")]
pub struct SupervisionFilterInput {
    status: Option<SupervisionStatus>,
    level: Option<SupervisionLevel>,
    source: Option<SupervisionSource>,
    department_id: Option<ID>,
    case_id: Option<ID>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl SupervisionFilterInput {
    /// As the engine takes it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed id.
    pub fn engine(self) -> async_graphql::Result<lianban_engine::supervision::SupervisionFilter> {
        Ok(lianban_engine::supervision::SupervisionFilter {
            status: self.status.map(Into::into),
            level: self.level.map(Into::into),
            source: self.source.map(Into::into),
            department_id: id("departmentId", self.department_id.as_ref())?,
            case_id: id("caseId", self.case_id.as_ref())?,
            opened_from: self.from,
            opened_to: self.to,
        })
    }
}

/// Which score entries: `from`/`to` bound when their cause happened.
#[derive(InputObject, Default)]
#[graphql(name = "ScoreEntryFilter")]
pub struct ScoreEntryFilterInput {
    department_id: Option<ID>,
    staff_id: Option<ID>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl ScoreEntryFilterInput {
    /// As the engine takes it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed id.
    pub fn engine(self) -> async_graphql::Result<lianban_engine::scoring::ScoreFilter> {
        Ok(lianban_engine::scoring::ScoreFilter {
            department_id: id("departmentId", self.department_id.as_ref())?,
            staff_id: id("staffId", self.staff_id.as_ref())?,
            from: self.from,
            to: self.to,
        })
    }
}

/// Which appointments: `day` gives a day's slots and holiday requests.
#[derive(InputObject, Default)]
#[graphql(name = "AppointmentFilter")]
pub struct AppointmentFilterInput {
    status: Option<AppointmentStatus>,
    kind: Option<AppointmentKind>,
    window_id: Option<ID>,
    day: Option<NaiveDate>,
}

impl AppointmentFilterInput {
    /// As the engine takes it.
    ///
    /// # Errors
    /// `INVALID_INPUT` for a malformed id.
    pub fn engine(self) -> async_graphql::Result<lianban_engine::appointments::AppointmentFilter> {
        Ok(lianban_engine::appointments::AppointmentFilter {
            status: self.status.map(Into::into),
            kind: self.kind.map(Into::into),
            window_id: id("windowId", self.window_id.as_ref())?,
            day: self.day,
        })
    }
}
