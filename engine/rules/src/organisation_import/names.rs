//! How the list names roles and places in a post.

use crate::roles::{Role, RoleSet};

/// A role from its Chinese name or its stored name.
pub fn role_named(name: &str) -> Option<Role> {
    let name = name.trim();
    Role::ALL.into_iter().find(|role| {
        role.as_str().eq_ignore_ascii_case(name)
            || role_label(*role) == name
            || match role {
                Role::Window => name == "窗口人员",
                Role::Reviewer => name == "审核人" || name == "部门审核人",
                Role::DeptHead => name == "负责人",
                Role::CenterAdmin => name == "管理员" || name == "中心管理办",
                Role::Leader => name == "领导",
                Role::Supervisor => name == "督查组",
            }
    })
}

/// A role's name in the list.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Window => "窗口",
        Role::Reviewer => "审核",
        Role::DeptHead => "部门负责人",
        Role::CenterAdmin => "中心管理员",
        Role::Leader => "中心领导",
        Role::Supervisor => "督查",
    }
}

/// The roles of a set as the list writes them.
pub fn roles_text(roles: RoleSet) -> String {
    roles.iter().map(role_label).collect::<Vec<_>>().join("、")
}

/// The place in a post as the list writes it: `A`, or `B1`, `B2` ….
pub fn ab_text(position: usize) -> String {
    if position == 0 {
        "A".to_owned()
    } else {
        format!("B{position}")
    }
}
