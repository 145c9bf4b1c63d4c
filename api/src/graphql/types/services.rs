//! 办事指南 and the windows as portals and the public read them (bookings and the duty roster:
//! `appointments`).

use super::{Department, Matter, department_link, engine, matter_link};
use crate::graphql::enums::{CaseKind, LimitUnit, SuspensionKind};
use crate::graphql::errors::Gql;
use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use lianban_engine::views::{ServiceGuideView, ServiceWindowView};
use lianban_rules::guides as rules;

/// 办事指南 — one published version of a matter's guide (readable without signing in).
pub struct ServiceGuide(pub ServiceGuideView);

/// A required material and its sample form.
#[derive(SimpleObject)]
pub struct GuideMaterial {
    /// Its number in this version (what `guideItems` of a supplement notice takes).
    number: i32,
    name: String,
    /// A link to the sample form (样表), if any.
    sample: Option<String>,
}

/// A co-handling department as the guide names it.
#[derive(SimpleObject)]
pub struct GuideCoHandler {
    department: Option<Department>,
    /// Working days.
    review_limit: i32,
}

#[Object]
impl ServiceGuide {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn matter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Matter>> {
        matter_link(ctx, self.0.matter_id).await
    }

    /// 1, 2, … — versions are never changed; a new one is published.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn kind(&self) -> CaseKind {
        self.0.kind.into()
    }

    async fn limit_unit(&self) -> LimitUnit {
        self.0.limit_unit.into()
    }

    /// 法定时限, in `limitUnit`.
    async fn legal_limit(&self) -> i32 {
        self.0.legal_limit
    }

    /// 承诺时限, in `limitUnit`.
    async fn promised_limit(&self) -> i32 {
        self.0.promised_limit
    }

    /// How much faster the promise is than the law, in percent.
    async fn promise_faster_percent(&self) -> i32 {
        rules::faster_percent(self.0.legal_limit, self.0.promised_limit)
    }

    /// Whether the promise is at least 50% faster than the law (SPEC §2 flags it when not).
    async fn promise_at_least_half_faster(&self) -> bool {
        rules::faster_percent(self.0.legal_limit, self.0.promised_limit) >= 50
    }

    /// 急事急办 — the review limit of an urgent case's tasks (working days).
    async fn urgent_review_limit(&self) -> Option<i32> {
        self.0.urgent_review_limit
    }

    async fn materials(&self) -> async_graphql::Result<Vec<GuideMaterial>> {
        Ok(self
            .0
            .materials
            .clone()
            .into_iter()
            .zip(1..)
            .map(|(m, number)| GuideMaterial {
                number,
                name: m.name,
                sample: m.sample,
            })
            .collect())
    }

    /// 设定依据.
    async fn legal_basis(&self) -> &str {
        &self.0.legal_basis
    }

    /// The fee; null when free.
    async fn fee(&self) -> Option<&str> {
        self.0.fee.as_deref()
    }

    /// The fee as the public reads it: the amount, or 不收费.
    async fn fee_text(&self) -> String {
        self.0.fee.clone().unwrap_or_else(|| "不收费".to_owned())
    }

    /// 收费依据.
    async fn fee_basis(&self) -> Option<&str> {
        self.0.fee_basis.as_deref()
    }

    /// 特别程序 that may suspend the clock (their time is not counted).
    async fn special_procedures(&self) -> async_graphql::Result<Vec<SuspensionKind>> {
        Ok(self
            .0
            .special_procedures
            .iter()
            .copied()
            .map(Into::into)
            .collect())
    }

    async fn lead_department(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Department>> {
        let reference = engine(ctx)?.reference().await.gql()?;
        match reference.matters.get(&self.0.matter_id) {
            Some(m) => department_link(ctx, m.lead_department_id).await,
            None => Ok(None),
        }
    }

    async fn co_handlers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GuideCoHandler>> {
        let rows = engine(ctx)?
            .matter_departments(self.0.matter_id)
            .await
            .gql()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(GuideCoHandler {
                department: department_link(ctx, row.department_id).await?,
                review_limit: row.review_limit,
            });
        }
        Ok(out)
    }

    /// The window that handles it.
    async fn window(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ServiceWindow>> {
        match self.0.window_id {
            Some(id) => Ok(engine(ctx)?
                .service_window(id)
                .await
                .gql()?
                .map(ServiceWindow)),
            None => Ok(None),
        }
    }

    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }

    /// What changed in this version.
    async fn change_note(&self) -> Option<&str> {
        self.0.change_note.as_deref()
    }

    async fn published_at(&self) -> DateTime<Utc> {
        self.0.published_at
    }
}

/// 服务窗口 — a window that takes appointments.
pub struct ServiceWindow(pub ServiceWindowView);

#[Object]
impl ServiceWindow {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn location(&self) -> &str {
        &self.0.location
    }

    async fn department(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Department>> {
        department_link(ctx, self.0.department_id).await
    }

    /// Its office hours (`HH:MM-HH:MM`); the centre's when it sets none.
    async fn office_hours(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let own = self.0.office_hours.clone();
        if own.is_empty() {
            Ok(engine(ctx)?.calendar().hours().describe())
        } else {
            Ok(own)
        }
    }

    async fn slot_minutes(&self) -> i32 {
        self.0.slot_minutes
    }

    /// Applicants per slot.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// 上门服务.
    async fn home_visits(&self) -> bool {
        self.0.home_visits
    }

    /// False once closed: it takes no new bookings.
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// A line of the window's supplement checklist, prefilled from the case's guide version.
#[derive(SimpleObject)]
pub struct ChecklistItem {
    /// Its number in the guide version (0: asked for by a department, not in the guide).
    number: i32,
    name: String,
    sample: Option<String>,
    /// The departments whose NEEDS_SUPPLEMENT opinions name it.
    asked_by: Vec<String>,
}

impl From<lianban_engine::cases::ChecklistItem> for ChecklistItem {
    fn from(c: lianban_engine::cases::ChecklistItem) -> Self {
        ChecklistItem {
            number: c.number,
            name: c.name,
            sample: c.sample,
            asked_by: c.asked_by,
        }
    }
}
