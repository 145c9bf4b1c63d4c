//! Reading what a case has accumulated: notices, negative reports, suspensions; and the reports
//! waiting for a signer.

use crate::cases::CaseView;
use crate::engine::Engine;
use crate::error::Result;
use crate::store::page::{Page, PageRequest};
use lianban_entity::{ReportStatus, case, negative_report, notice, suspension};
use lianban_rules::policy::Actor;
use lianban_rules::roles::Role;
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

impl Engine {
    /// The notices of a case, in the order issued.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_notices(&self, view: &CaseView) -> Result<Vec<crate::views::NoticeView>> {
        Ok(notice::Entity::find()
            .filter(notice::Column::CaseId.eq(view.case.id))
            .order_by_asc(notice::Column::IssuedAt)
            .order_by_asc(notice::Column::Id)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The suspensions of a case, in order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_suspensions(
        &self,
        view: &CaseView,
    ) -> Result<Vec<crate::views::SuspensionView>> {
        Ok(suspension::Entity::find()
            .filter(suspension::Column::CaseId.eq(view.case.id))
            .order_by_asc(suspension::Column::StartedAt)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The negative reports of a case, newest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_reports(
        &self,
        view: &CaseView,
    ) -> Result<Vec<crate::views::NegativeReportView>> {
        Ok(negative_report::Entity::find()
            .filter(negative_report::Column::CaseId.eq(view.case.id))
            .order_by_desc(negative_report::Column::FiledAt)
            .all(self.db())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The pending reports `actor` may sign: a leader's joint-case reports, a department head's
    /// reports on their department's cases. Oldest first, one page.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn reports_to_sign(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> Result<Page<crate::views::NegativeReportView>> {
        let mut mine = Condition::any();
        if actor.has(Role::Leader) {
            mine = mine.add(negative_report::Column::SignerRole.eq(Role::Leader.as_str()));
        }
        if actor.has(Role::DeptHead) {
            let led = Query::select()
                .column(case::Column::Id)
                .from(case::Entity)
                .and_where(case::Column::LeadDepartmentId.eq(actor.department_id))
                .to_owned();
            mine = mine.add(
                Condition::all()
                    .add(negative_report::Column::SignerRole.eq(Role::DeptHead.as_str()))
                    .add(negative_report::Column::CaseId.in_subquery(led)),
            );
        }
        if mine.is_empty() {
            return Ok(Page::from_rows(Vec::new(), page));
        }
        let query = negative_report::Entity::find()
            .filter(negative_report::Column::Status.eq(ReportStatus::Pending))
            .filter(mine);
        (crate::store::page::fetch(self.db(), query, negative_report::Column::Id, false, page)
            .await)
            .map(|p| p.map(Into::into))
    }
}
