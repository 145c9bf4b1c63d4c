//! The reads portals make: a case (masked as the reader's role requires), lists, tasks, the
//! timeline. Every read of a case goes through [`CaseView`], which exists only once the reader
//! has been allowed to see the case.

use crate::cases::scope_of;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::store::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use lianban_entity::{case, clock, event, opinion, task};
use lianban_rules::clocks::Light;
use lianban_rules::policy::{self, Actor, CaseScope};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// A case as one reader may see it.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case as stored.
    pub case: crate::views::CaseRecord,
    /// Whether the reader sees the applicant's personal data unmasked.
    pub personal_data_visible: bool,
    /// Whether the reader sees the evaluation code (the lead window only: it files the
    /// applicant's one review).
    pub evaluation_code_visible: bool,
    /// The reader's department, and whether they see every department's part of the case
    /// (otherwise only their own department's tasks, opinions and task events).
    pub reader_department_id: Uuid,
    pub every_task_visible: bool,
    /// What the verb that returned this view wrote — its tasks, their clocks and the people
    /// they went to — so the answer is given from it instead of read back. `None` for a read.
    pub written: Option<std::sync::Arc<Written>>,
}

/// What a verb wrote on a case, as the API answers with it (see [`CaseView::written`]): every
/// task it made with its clock, the case's clock, and the staff those tasks went to. Only the
/// tasks the reader may see are given ([`CaseView::written_tasks`]).
#[derive(Debug, Default)]
pub struct Written {
    /// The tasks made, in order.
    pub tasks: Vec<crate::views::TaskView>,
    /// The clocks started (the case's and each task's), by id.
    pub clocks: HashMap<Uuid, crate::clocks::ClockView>,
    /// The staff members the tasks went to and the case's first responder, by id.
    pub staff: HashMap<Uuid, crate::views::StaffView>,
}

impl CaseView {
    pub(crate) fn new(actor: &Actor, case: case::Model, scope: &CaseScope) -> Result<Self> {
        if !policy::may_read_case(actor, scope) {
            return Err(Error::Forbidden(format!(
                "case {} is handled by other departments",
                case.number
            )));
        }
        let personal_data_visible = policy::sees_personal_data(actor, scope);
        Ok(CaseView {
            case: case.into(),
            personal_data_visible,
            evaluation_code_visible: policy::is_lead_window(actor, scope),
            reader_department_id: actor.department_id,
            every_task_visible: policy::sees_every_task(actor, scope),
            written: None,
        })
    }

    /// The view with what the verb wrote (the answer is given from it).
    #[must_use]
    pub fn with_written(mut self, written: Option<Written>) -> Self {
        self.written = written.map(std::sync::Arc::new);
        self
    }

    /// The case's tasks as the verb wrote them, those the reader may see, when the view comes
    /// from a verb that made every task the case has; `None` otherwise (read them).
    pub fn written_tasks(&self) -> Option<Vec<crate::views::TaskView>> {
        let written = self.written.as_ref()?;
        Some(
            written
                .tasks
                .iter()
                .filter(|t| self.shows_department(t.department_id))
                .cloned()
                .collect(),
        )
    }

    /// Whether the reader sees the part of the case a department handles.
    pub fn shows_department(&self, department_id: Uuid) -> bool {
        self.every_task_visible || department_id == self.reader_department_id
    }

    /// The applicant's ID number, masked unless the reader handles the case.
    pub fn applicant_id_number(&self) -> String {
        self.reveal(&self.case.applicant_id_number)
    }

    /// The applicant's phone, masked unless the reader handles the case.
    pub fn applicant_phone(&self) -> String {
        self.reveal(&self.case.applicant_phone)
    }

    fn reveal(&self, value: &str) -> String {
        if self.personal_data_visible {
            value.to_owned()
        } else {
            policy::mask(value)
        }
    }
}

/// Which cases to list (every filter optional; they combine).
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases in this status.
    pub status: Option<lianban_rules::CaseStatus>,
    /// Only cases of this kind.
    pub kind: Option<lianban_rules::CaseKind>,
    /// Only cases this department leads or has a task on.
    pub department_id: Option<Uuid>,
    /// Only cases of this matter.
    pub matter_id: Option<Uuid>,
    /// Only cases whose own clock shows this light now (running clocks).
    pub light: Option<Light>,
    /// Only cases received at or after this instant, and before that one.
    pub received_from: Option<DateTime<Utc>>,
    pub received_to: Option<DateTime<Utc>>,
}

/// A case with the facts its permissions depend on, read in a batch (see
/// [`Engine::cases_by_ids`]) and turned into what one reader sees with [`CaseView::for_reader`].
#[derive(Debug, Clone)]
pub struct ScopedCase {
    pub case: case::Model,
    pub scope: CaseScope,
}

impl CaseView {
    /// The case as `actor` may see it.
    ///
    /// # Errors
    /// `FORBIDDEN` when the actor may not read it.
    pub fn for_reader(actor: &Actor, scoped: ScopedCase) -> Result<Self> {
        CaseView::new(actor, scoped.case, &scoped.scope)
    }
}

impl Engine {
    /// Several cases by id with their scopes (two queries, for a page of tasks or items).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn cases_by_ids(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, ScopedCase>> {
        let mut out = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(out);
        }
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(ids.iter().copied()))
            .all(self.db())
            .await?;
        let mut departments: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let pairs: Vec<(Uuid, Uuid)> = task::Entity::find()
            .select_only()
            .column(task::Column::CaseId)
            .column(task::Column::DepartmentId)
            .filter(task::Column::CaseId.is_in(ids.iter().copied()))
            .into_tuple()
            .all(self.db())
            .await?;
        for (case_id, department_id) in pairs {
            departments.entry(case_id).or_default().push(department_id);
        }
        for case in cases {
            let scope = CaseScope {
                lead_department_id: case.lead_department_id,
                lead_staff_id: case.lead_staff_id,
                task_departments: departments.remove(&case.id).unwrap_or_default(),
            };
            out.insert(case.id, ScopedCase { case, scope });
        }
        Ok(out)
    }

    /// A case by id, as `actor` may see it.
    ///
    /// # Errors
    /// `NOT_FOUND`, alike for an id that does not exist and a case the actor may not read.
    pub async fn case_view(&self, actor: &Actor, id: Uuid) -> Result<CaseView> {
        let case = case::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("case {id}")))?;
        let scope = scope_of(self.db(), &case).await?;
        CaseView::new(actor, case, &scope).map_err(|_| Error::not_found(format!("case {id}")))
    }

    /// A case by its number (`LB-20261123-000042`), as `actor` may see it.
    ///
    /// # Errors
    /// `NOT_FOUND`, alike for a number that does not exist and one the actor may not read (so
    /// nobody learns which numbers exist).
    pub async fn case_view_by_number(&self, actor: &Actor, number: &str) -> Result<CaseView> {
        let number = lianban_rules::validate::required(
            "number",
            number,
            lianban_rules::validate::MAX_SHORT,
        )?;
        let case = case::Entity::find()
            .filter(case::Column::Number.eq(number.as_str()))
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("case {number}")))?;
        let scope = scope_of(self.db(), &case).await?;
        CaseView::new(actor, case, &scope).map_err(|_| Error::not_found(format!("case {number}")))
    }

    /// The cases `actor` may read, newest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn cases(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        page: PageRequest,
    ) -> Result<Page<CaseView>> {
        let mut query = case::Entity::find();
        if !actor.reads_everything() {
            let with_task = Query::select()
                .column(task::Column::CaseId)
                .from(task::Entity)
                .and_where(task::Column::DepartmentId.eq(actor.department_id))
                .to_owned();
            query = query.filter(
                Condition::any()
                    .add(case::Column::LeadDepartmentId.eq(actor.department_id))
                    .add(case::Column::Id.in_subquery(with_task)),
            );
        }
        if let Some(status) = filter.status {
            query = query.filter(case::Column::Status.eq(lianban_entity::CaseStatus::from(status)));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(case::Column::Kind.eq(lianban_entity::CaseKind::from(kind)));
        }
        if let Some(matter) = filter.matter_id {
            query = query.filter(case::Column::MatterId.eq(matter));
        }
        if let Some(department) = filter.department_id {
            let with_task = Query::select()
                .column(task::Column::CaseId)
                .from(task::Entity)
                .and_where(task::Column::DepartmentId.eq(department))
                .to_owned();
            query = query.filter(
                Condition::any()
                    .add(case::Column::LeadDepartmentId.eq(department))
                    .add(case::Column::Id.in_subquery(with_task)),
            );
        }
        if let Some(from) = filter.received_from {
            query = query.filter(case::Column::ReceivedAt.gte(from));
        }
        if let Some(to) = filter.received_to {
            query = query.filter(case::Column::ReceivedAt.lt(to));
        }
        if let Some(light) = filter.light {
            let mut lit = self.lit_clocks(light).await?;
            lit.and_where(Expr::col((clock::Entity, clock::Column::TaskId)).is_null())
                .clear_selects()
                .column((clock::Entity, clock::Column::CaseId));
            query = query.filter(case::Column::Id.in_subquery(lit));
        }
        let page = crate::store::page::fetch_flag_first(
            self.db(),
            query,
            case::Column::Urgent,
            case::Column::Id,
            true,
            page,
        )
        .await?;
        let ids: Vec<Uuid> = page.items.iter().map(|c| c.id).collect();
        let mut departments: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let pairs: Vec<(Uuid, Uuid)> = task::Entity::find()
            .select_only()
            .column(task::Column::CaseId)
            .column(task::Column::DepartmentId)
            .filter(task::Column::CaseId.is_in(ids))
            .into_tuple()
            .all(self.db())
            .await?;
        for (case_id, department_id) in pairs {
            departments.entry(case_id).or_default().push(department_id);
        }
        let items = page
            .items
            .into_iter()
            .map(|case| {
                let scope = CaseScope {
                    lead_department_id: case.lead_department_id,
                    lead_staff_id: case.lead_staff_id,
                    task_departments: departments.remove(&case.id).unwrap_or_default(),
                };
                CaseView::new(actor, case, &scope)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            has_next: page.has_next,
            total: page.total,
        })
    }

    /// The timeline of a case as the reader may see it, in order: every event, except that a
    /// co-handling department sees no event about another department's task.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn timeline(&self, view: &CaseView) -> Result<Vec<crate::views::EventView>> {
        let mut query = event::Entity::find().filter(event::Column::CaseId.eq(view.case.id));
        if !view.every_task_visible {
            let own_tasks = Query::select()
                .column(task::Column::Id)
                .from(task::Entity)
                .and_where(task::Column::CaseId.eq(view.case.id))
                .and_where(task::Column::DepartmentId.eq(view.reader_department_id))
                .to_owned();
            query = query.filter(
                Condition::any()
                    .add(event::Column::TaskId.is_null())
                    .add(event::Column::TaskId.in_subquery(own_tasks)),
            );
        }
        Ok(query
            .order_by_asc(event::Column::Seq)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The opinions of a case the reader may see (a co-handling department: its own), in order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_opinions(&self, view: &CaseView) -> Result<Vec<crate::views::OpinionView>> {
        let mut query = opinion::Entity::find().filter(opinion::Column::CaseId.eq(view.case.id));
        if !view.every_task_visible {
            query = query.filter(opinion::Column::DepartmentId.eq(view.reader_department_id));
        }
        Ok(query
            .order_by_asc(opinion::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// An opinion by id (callers reach it through a task or case they may read).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn opinion_by_id(&self, id: Uuid) -> Result<Option<crate::views::OpinionView>> {
        Ok(opinion::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .map(Into::into))
    }
}
