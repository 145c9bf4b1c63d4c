//! Matters of the catalogue.

use super::{Department, department_link, engine};
use crate::graphql::enums::{CaseKind, LimitUnit};
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object, SimpleObject};
use lianban_engine::views::MatterView;

/// 事项
pub struct Matter(pub MatterView);

/// A co-handling department of a matter and its review limit.
#[derive(SimpleObject)]
pub struct CoHandler {
    department: Option<Department>,
    /// Working days.
    review_limit: i32,
}

#[Object]
impl Matter {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn kind(&self) -> CaseKind {
        self.0.kind.into()
    }

    async fn limit_unit(&self) -> LimitUnit {
        self.0.limit_unit.into()
    }

    /// 法定时限
    async fn legal_limit(&self) -> i32 {
        self.0.legal_limit
    }

    /// 承诺时限
    async fn promised_limit(&self) -> i32 {
        self.0.promised_limit
    }

    /// 急事急办 — the review limit of an urgent case's tasks (working days).
    async fn urgent_review_limit(&self) -> Option<i32> {
        self.0.urgent_review_limit
    }

    /// The current version of its service guide (`serviceGuide`).
    async fn guide_version(&self) -> Option<i32> {
        self.0.guide_version
    }

    async fn required_materials(&self) -> &[String] {
        &self.0.required_materials
    }

    /// 默认同意 — a silent department is deemed to approve at its deadline (off by default).
    async fn deemed_consent(&self) -> bool {
        self.0.deemed_consent
    }

    /// 办结公告 — decided cases are published (without personal data).
    async fn requires_publication(&self) -> bool {
        self.0.requires_publication
    }

    async fn lead_department(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.lead_department_id).await
    }

    async fn co_handlers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CoHandler>> {
        let rows = engine(ctx)?.matter_departments(self.0.id).await.gql()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(CoHandler {
                department: department_link(ctx, row.department_id).await?,
                review_limit: row.review_limit,
            });
        }
        Ok(out)
    }
}
