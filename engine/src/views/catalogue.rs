//! Views of catalogue: what the engine's reads and verbs hand out instead of table
//! rows (the domain's enums, no storage details).

use chrono::{DateTime, Utc};
use lianban_entity::{matter, matter_department, service_guide, service_window};
use uuid::Uuid;

/// 事项 — a catalogue entry.
#[derive(Debug, Clone, PartialEq)]
pub struct MatterView {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: lianban_rules::CaseKind,
    pub lead_department_id: Uuid,
    /// The lead department's post that reviews promised cases.
    pub lead_post_id: Option<Uuid>,
    pub limit_unit: lianban_rules::LimitUnit,
    /// 法定时限, in `limit_unit`.
    pub legal_limit: i32,
    /// 承诺时限, in `limit_unit`; never above the legal limit.
    pub promised_limit: i32,
    /// JSON array of material names.
    pub required_materials: Vec<String>,
    pub requires_publication: bool,
    pub deemed_consent: bool,
    pub created_at: DateTime<Utc>,
    /// 办事指南 — the current published version; empty until the first.
    pub guide_version: Option<i32>,
    /// 急事急办 — the review limit of an urgent case's tasks, in working days.
    pub urgent_review_limit: Option<i32>,
}

impl From<matter::Model> for MatterView {
    fn from(m: matter::Model) -> Self {
        MatterView {
            id: m.id,
            code: m.code,
            name: m.name,
            kind: m.kind.into(),
            lead_department_id: m.lead_department_id,
            lead_post_id: m.lead_post_id,
            limit_unit: m.limit_unit.into(),
            legal_limit: m.legal_limit,
            promised_limit: m.promised_limit,
            required_materials: super::list(m.required_materials),
            requires_publication: m.requires_publication,
            deemed_consent: m.deemed_consent,
            created_at: m.created_at,
            guide_version: m.guide_version,
            urgent_review_limit: m.urgent_review_limit,
        }
    }
}

/// A co-handling department of a matter, with its review limit.
#[derive(Debug, Clone, PartialEq)]
pub struct MatterDepartmentView {
    pub matter_id: Uuid,
    pub department_id: Uuid,
    pub post_id: Uuid,
    /// Review limit in working days.
    pub review_limit: i32,
    pub position: i32,
}

impl From<matter_department::Model> for MatterDepartmentView {
    fn from(m: matter_department::Model) -> Self {
        MatterDepartmentView {
            matter_id: m.matter_id,
            department_id: m.department_id,
            post_id: m.post_id,
            review_limit: m.review_limit,
            position: m.position,
        }
    }
}

/// 办事指南 — one version of a matter's service guide.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceGuideView {
    pub id: Uuid,
    pub matter_id: Uuid,
    /// 1, 2, … per matter.
    pub version: i32,
    pub kind: lianban_rules::CaseKind,
    pub limit_unit: lianban_rules::LimitUnit,
    pub legal_limit: i32,
    pub promised_limit: i32,
    /// 急事急办 — the review limit of an urgent case's tasks, in working days.
    pub urgent_review_limit: Option<i32>,
    /// JSON array of `{name, sample}` (a sample form's link, or null).
    pub materials: Vec<lianban_rules::guides::Material>,
    pub legal_basis: String,
    /// The fee; empty when free (不收费).
    pub fee: Option<String>,
    pub fee_basis: Option<String>,
    /// JSON array of the special procedures (`SuspensionKind` names) that may suspend the clock.
    pub special_procedures: Vec<lianban_rules::SuspensionKind>,
    pub window_id: Option<Uuid>,
    pub notes: Option<String>,
    /// What changed, in the admin's words.
    pub change_note: Option<String>,
    pub published_by: Uuid,
    pub published_at: DateTime<Utc>,
}

impl TryFrom<service_guide::Model> for ServiceGuideView {
    type Error = crate::Error;

    /// # Errors
    /// `INTERNAL` when the stored materials or procedures are malformed.
    fn try_from(m: service_guide::Model) -> crate::Result<Self> {
        let materials = serde_json::from_value(m.materials)
            .map_err(|e| crate::Error::Internal(format!("guide {} materials: {e}", m.id)))?;
        let special_procedures = serde_json::from_value(m.special_procedures)
            .map_err(|e| crate::Error::Internal(format!("guide {} procedures: {e}", m.id)))?;
        Ok(ServiceGuideView {
            id: m.id,
            matter_id: m.matter_id,
            version: m.version,
            kind: m.kind.into(),
            limit_unit: m.limit_unit.into(),
            legal_limit: m.legal_limit,
            promised_limit: m.promised_limit,
            urgent_review_limit: m.urgent_review_limit,
            materials,
            legal_basis: m.legal_basis,
            fee: m.fee,
            fee_basis: m.fee_basis,
            special_procedures,
            window_id: m.window_id,
            notes: m.notes,
            change_note: m.change_note,
            published_by: m.published_by,
            published_at: m.published_at,
        })
    }
}

/// A service window.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceWindowView {
    pub id: Uuid,
    pub department_id: Uuid,
    /// 3号窗口
    pub name: String,
    /// Where it is (一楼大厅东侧).
    pub location: String,
    /// JSON array of `"HH:MM-HH:MM"` periods on working days; empty for the centre's hours.
    pub office_hours: Vec<String>,
    pub slot_minutes: i32,
    /// Applicants per slot.
    pub capacity: i32,
    /// Whether it offers home visits (上门服务).
    pub home_visits: bool,
    pub active: bool,
    /// Bumped by every booking: the first write of a booking transaction, so it locks the row.
    pub version: i64,
    pub created_at: DateTime<Utc>,
}

impl From<service_window::Model> for ServiceWindowView {
    fn from(m: service_window::Model) -> Self {
        ServiceWindowView {
            id: m.id,
            department_id: m.department_id,
            name: m.name,
            location: m.location,
            office_hours: super::list(m.office_hours),
            slot_minutes: m.slot_minutes,
            capacity: m.capacity,
            home_visits: m.home_visits,
            active: m.active,
            version: m.version,
            created_at: m.created_at,
        }
    }
}
