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

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The roles a staff member holds: a set, asked with [`RoleSet::contains`] — never by matching
/// text. Stored as a comma-separated list of names (`REVIEWER,DEPT_HEAD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RoleSet(u8);

impl RoleSet {
    /// The empty set.
    pub const NONE: RoleSet = RoleSet(0);

    /// The set of `roles`.
    pub fn of(roles: &[Role]) -> RoleSet {
        RoleSet(roles.iter().fold(0, |bits, r| bits | r.bit()))
    }

    /// Parses the stored form.
    ///
    /// # Errors
    /// `INVALID_INPUT` when a name is unknown.
    pub fn parse(list: &str) -> Result<RoleSet> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Role::parse)
            .try_fold(RoleSet::NONE, |set, role| Ok(set.with(role?)))
    }

    /// Whether the set holds `role`.
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// The set with `role` added.
    pub fn with(self, role: Role) -> RoleSet {
        RoleSet(self.0 | role.bit())
    }

    /// Its roles, in the order of [`Role::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.contains(*r))
    }

    /// Whether it holds no role.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The stored form.
    pub fn stored(self) -> String {
        self.iter().map(Role::as_str).collect::<Vec<_>>().join(",")
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<I: IntoIterator<Item = Role>>(roles: I) -> Self {
        roles.into_iter().fold(RoleSet::NONE, RoleSet::with)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_sets_round_trip_and_refuse_unknown_names() {
        let roles = RoleSet::parse("REVIEWER, DEPT_HEAD,REVIEWER").unwrap();
        assert_eq!(roles, RoleSet::of(&[Role::DeptHead, Role::Reviewer]));
        assert!(roles.contains(Role::DeptHead) && !roles.contains(Role::Window));
        assert_eq!(
            roles.iter().collect::<Vec<_>>(),
            [Role::Reviewer, Role::DeptHead]
        );
        assert_eq!(roles.stored(), "REVIEWER,DEPT_HEAD");
        assert_eq!(RoleSet::parse("").unwrap(), RoleSet::NONE);
        assert_eq!(
            RoleSet::parse("WINDOW,KING").unwrap_err().code(),
            "INVALID_INPUT"
        );
        // A name that merely contains another is not it.
        assert_eq!(
            RoleSet::parse("WINDOWS").unwrap_err().code(),
            "INVALID_INPUT"
        );
    }
}
