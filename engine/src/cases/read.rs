//! The reads portals make: a case (masked as the reader's role requires), lists, tasks, the
//! timeline. Every read of a case goes through [`CaseView`], which exists only once the reader
//! has been allowed to see the case.

use crate::cases::scope_of;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::page::{Page, PageRequest};
use crate::policy::{self, Actor, CaseScope};
use lianban_entity::{CaseStatus, TaskStatus, case, clock, event, opinion, task};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// A case as one reader may see it.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The stored case.
    pub case: case::Model,
    /// Whether the reader sees the applicant's personal data unmasked.
    pub personal_data_visible: bool,
}

impl CaseView {
    fn new(actor: &Actor, case: case::Model, scope: &CaseScope) -> Result<Self> {
        if !policy::may_read_case(actor, scope) {
            return Err(Error::Forbidden(format!(
                "case {} is handled by other departments",
                case.number
            )));
        }
        let personal_data_visible = policy::sees_personal_data(actor, scope);
        Ok(CaseView {
            case,
            personal_data_visible,
        })
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

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
}

impl Engine {
    /// A case by id, as `actor` may see it.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` when the actor may not read it.
    pub async fn case_view(&self, actor: &Actor, id: Uuid) -> Result<CaseView> {
        let case = case::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("case {id}")))?;
        let scope = scope_of(self.db(), &case).await?;
        CaseView::new(actor, case, &scope)
    }

    /// A case by its number (`LB-20261123-000042`), as `actor` may see it.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN` when the actor may not read it.
    pub async fn case_view_by_number(&self, actor: &Actor, number: &str) -> Result<CaseView> {
        let number = crate::validate::required("number", number, crate::validate::MAX_SHORT)?;
        let case = case::Entity::find()
            .filter(case::Column::Number.eq(number.as_str()))
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("case {number}")))?;
        let scope = scope_of(self.db(), &case).await?;
        CaseView::new(actor, case, &scope)
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
        let mut query = case::Entity::find().order_by_desc(case::Column::Id);
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
            query = query.filter(case::Column::Status.eq(status));
        }
        if let Some(after) = page.after {
            query = query.filter(case::Column::Id.lt(after));
        }
        let rows = query.limit(page.first + 1).all(self.db()).await?;
        let page = Page::from_rows(rows, page);
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
        })
    }

    /// The tasks assigned to `actor` (including those worked for an absent colleague), oldest
    /// first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn my_tasks(
        &self,
        actor: &Actor,
        status: Option<TaskStatus>,
        page: PageRequest,
    ) -> Result<Page<task::Model>> {
        let mut query = task::Entity::find()
            .filter(task::Column::AssigneeId.eq(actor.staff_id))
            .order_by_asc(task::Column::Id);
        if let Some(status) = status {
            query = query.filter(task::Column::Status.eq(status));
        }
        if let Some(after) = page.after {
            query = query.filter(task::Column::Id.gt(after));
        }
        let rows = query.limit(page.first + 1).all(self.db()).await?;
        Ok(Page::from_rows(rows, page))
    }

    /// A task by id, when `actor` may read its case.
    ///
    /// # Errors
    /// `NOT_FOUND`; `FORBIDDEN`.
    pub async fn task(&self, actor: &Actor, id: Uuid) -> Result<task::Model> {
        let task = task::Entity::find_by_id(id)
            .one(self.db())
            .await?
            .ok_or_else(|| Error::not_found(format!("task {id}")))?;
        self.case_view(actor, task.case_id).await?;
        Ok(task)
    }

    /// The tasks of a case the reader may see, in creation order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_tasks(&self, view: &CaseView) -> Result<Vec<task::Model>> {
        Ok(task::Entity::find()
            .filter(task::Column::CaseId.eq(view.case.id))
            .order_by_asc(task::Column::Id)
            .all(self.db())
            .await?)
    }

    /// The timeline of a case the reader may see: every event, in order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn timeline(&self, view: &CaseView) -> Result<Vec<event::Model>> {
        Ok(event::Entity::find()
            .filter(event::Column::CaseId.eq(view.case.id))
            .order_by_asc(event::Column::Seq)
            .all(self.db())
            .await?)
    }

    /// The opinions of a case the reader may see, in order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_opinions(&self, view: &CaseView) -> Result<Vec<opinion::Model>> {
        Ok(opinion::Entity::find()
            .filter(opinion::Column::CaseId.eq(view.case.id))
            .order_by_asc(opinion::Column::Id)
            .all(self.db())
            .await?)
    }

    /// An opinion by id (callers reach it through a task or case they may read).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn opinion_by_id(&self, id: Uuid) -> Result<Option<opinion::Model>> {
        Ok(opinion::Entity::find_by_id(id).one(self.db()).await?)
    }

    /// A clock by id.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn clock_by_id(&self, id: Uuid) -> Result<Option<clock::Model>> {
        Ok(clock::Entity::find_by_id(id).one(self.db()).await?)
    }
}
