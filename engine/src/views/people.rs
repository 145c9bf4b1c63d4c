//! Views of people: what the engine's reads and verbs hand out instead of table
//! rows (the domain's enums, no storage details).

use chrono::{DateTime, Utc};
use lianban_entity::{absence, department, staff};
use lianban_rules::RoleSet;
use uuid::Uuid;

/// 工作人员 — a staff member (never their password hash).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffView {
    pub id: Uuid,
    pub department_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub roles: RoleSet,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// For optimistic concurrency: an edit names the version it was made from.
    pub version: i64,
    /// Signed in with a temporary password not yet changed.
    pub must_change_password: bool,
    /// Who the single sign-on provider says this is.
    pub sso_subject: Option<String>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

impl TryFrom<staff::Model> for StaffView {
    type Error = crate::Error;

    /// # Errors
    /// `INTERNAL` when the stored roles name an unknown role.
    fn try_from(m: staff::Model) -> crate::Result<Self> {
        let roles = RoleSet::parse(&m.roles)
            .map_err(|e| crate::Error::Internal(format!("staff {} roles: {e}", m.id)))?;
        Ok(StaffView {
            id: m.id,
            department_id: m.department_id,
            username: m.username,
            display_name: m.display_name,
            email: m.email,
            roles,
            active: m.active,
            created_at: m.created_at,
            version: m.version,
            must_change_password: m.must_change_password,
            sso_subject: m.sso_subject,
            deactivated_at: m.deactivated_at,
        })
    }
}

/// 部门.
#[derive(Debug, Clone, PartialEq)]
pub struct DepartmentView {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// 工作职责, published.
    pub duties: String,
    pub active: bool,
    pub version: i64,
}

impl From<department::Model> for DepartmentView {
    fn from(m: department::Model) -> Self {
        DepartmentView {
            id: m.id,
            code: m.code,
            name: m.name,
            created_at: m.created_at,
            duties: m.duties,
            active: m.active,
            version: m.version,
        }
    }
}

/// 离岗/请假 — an absence.
#[derive(Debug, Clone, PartialEq)]
pub struct AbsenceView {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<absence::Model> for AbsenceView {
    fn from(m: absence::Model) -> Self {
        AbsenceView {
            id: m.id,
            staff_id: m.staff_id,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            reason: m.reason,
            recorded_by: m.recorded_by,
            created_at: m.created_at,
        }
    }
}
