//! 角色 — what a staff member may do (SPEC §1). Stored as a comma-separated list.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// One role a staff member holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// 窗口人员 — receives applicants, opens cases, issues notices, delivers results.
    Window,
    /// 部门审核人 — works the tasks of their own department.
    Reviewer,
    /// 部门负责人 — a reviewer who also approves extensions, signs reports, reassigns.
    DeptHead,
    /// 中心管理办 — catalogue, calendar, staff, posts; sees all cases.
    CenterAdmin,
    /// 中心领导 — reads everything; signs escalated reports; owns supervision items.
    Leader,
    /// 督查组 — opens, chases and closes supervision items; reads everything.
    Supervisor,
}

impl Role {
    /// Every role, in order.
    pub const ALL: [Role; 6] = [
        Role::Window,
        Role::Reviewer,
        Role::DeptHead,
        Role::CenterAdmin,
        Role::Leader,
        Role::Supervisor,
    ];

    /// The stored (and GraphQL) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Window => "WINDOW",
            Role::Reviewer => "REVIEWER",
            Role::DeptHead => "DEPT_HEAD",
            Role::CenterAdmin => "CENTER_ADMIN",
            Role::Leader => "LEADER",
            Role::Supervisor => "SUPERVISOR",
        }
    }

    /// Parses a stored name.
    ///
    /// # Errors
    /// `INVALID_INPUT` for an unknown name.
    pub fn parse(name: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == name.trim())
            .ok_or_else(|| Error::invalid("roles", format!("unknown role `{name}`")))
    }

    /// Parses a stored comma-separated list.
    ///
    /// # Errors
    /// `INVALID_INPUT` when any name is unknown.
    pub fn parse_list(list: &str) -> Result<Vec<Role>> {
        let mut roles = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Role::parse)
            .collect::<Result<Vec<_>>>()?;
        roles.sort();
        roles.dedup();
        Ok(roles)
    }

    /// Joins roles into the stored form.
    pub fn join(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_lists_round_trip_and_refuse_unknown_names() {
        let roles = Role::parse_list("REVIEWER, DEPT_HEAD,REVIEWER").unwrap();
        assert_eq!(roles, vec![Role::Reviewer, Role::DeptHead]);
        assert_eq!(Role::join(&roles), "REVIEWER,DEPT_HEAD");
        assert_eq!(
            Role::parse_list("WINDOW,KING").unwrap_err().code(),
            "INVALID_INPUT"
        );
    }
}
