//! Reading what a case has accumulated: notices, negative reports, suspensions; and the reports
//! waiting for a signer.

use crate::cases::CaseView;
use crate::engine::Engine;
use crate::error::Result;
use crate::policy::Actor;
use crate::roles::Role;
use lianban_entity::{ReportStatus, case, negative_report, notice, suspension};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

impl Engine {
    /// The notices of a case, in the order issued.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_notices(&self, view: &CaseView) -> Result<Vec<notice::Model>> {
        Ok(notice::Entity::find()
            .filter(notice::Column::CaseId.eq(view.case.id))
            .order_by_asc(notice::Column::IssuedAt)
            .order_by_asc(notice::Column::Id)
            .all(self.db())
            .await?)
    }

    /// The suspensions of a case, in order.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_suspensions(&self, view: &CaseView) -> Result<Vec<suspension::Model>> {
        Ok(suspension::Entity::find()
            .filter(suspension::Column::CaseId.eq(view.case.id))
            .order_by_asc(suspension::Column::StartedAt)
            .all(self.db())
            .await?)
    }

    /// The negative reports of a case, newest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn case_reports(&self, view: &CaseView) -> Result<Vec<negative_report::Model>> {
        Ok(negative_report::Entity::find()
            .filter(negative_report::Column::CaseId.eq(view.case.id))
            .order_by_desc(negative_report::Column::FiledAt)
            .all(self.db())
            .await?)
    }

    /// The pending reports `actor` may sign: a leader's joint-case reports, a department head's
    /// reports on their department's cases. Oldest first.
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn reports_to_sign(&self, actor: &Actor) -> Result<Vec<negative_report::Model>> {
        let mut roles = Vec::new();
        if actor.has(Role::Leader) {
            roles.push(Role::Leader.as_str());
        }
        if actor.has(Role::DeptHead) {
            roles.push(Role::DeptHead.as_str());
        }
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let pending = negative_report::Entity::find()
            .filter(negative_report::Column::Status.eq(ReportStatus::Pending))
            .filter(negative_report::Column::SignerRole.is_in(roles))
            .order_by_asc(negative_report::Column::FiledAt)
            .all(self.db())
            .await?;
        let mut mine = Vec::new();
        for report in pending {
            if report.signer_role == Role::Leader.as_str() {
                mine.push(report);
                continue;
            }
            let lead = case::Entity::find_by_id(report.case_id)
                .one(self.db())
                .await?
                .map(|c| c.lead_department_id);
            if lead == Some(actor.department_id) {
                mine.push(report);
            }
        }
        Ok(mine)
    }

    /// A report by id (callers reach its case through `case_view`, which checks the reader).
    ///
    /// # Errors
    /// `INTERNAL` on a database fault.
    pub async fn report_by_id(&self, id: uuid::Uuid) -> Result<Option<negative_report::Model>> {
        Ok(negative_report::Entity::find_by_id(id)
            .one(self.db())
            .await?)
    }
}
